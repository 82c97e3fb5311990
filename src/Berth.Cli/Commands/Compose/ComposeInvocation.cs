using Berth.Cli.Parsing;
using Berth.Cli.Terminal;
using Berth.Compose;
using Berth.Compose.Engine;
using Berth.Compose.Model;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// One <c>berth compose</c> call: the global flags (-f, -p, --profile, --env-file, --project-directory), the CLI context,
/// and helpers every subcommand needs (load the project, make an engine that reports progress on stderr).
/// </summary>
internal sealed class ComposeInvocation(CliContext ctx, ParsedArgs global)
{
    public CliContext Ctx => ctx;

    public bool StderrIsTerminal { get; } = TerminalInterop.IsTerminal(2);

    public bool StdoutIsTerminal { get; } = TerminalInterop.IsTerminal(1);

    /// <summary>Loads the project; services named on the command line are enabled even when their profile is not.</summary>
    public async Task<ComposeProject> LoadAsync(IReadOnlyList<string> enabledServices, CancellationToken ct)
    {
        var project = await ComposeLoader.LoadAsync(LoadOptions(enabledServices), ct);
        foreach (var w in project.Warnings) await ctx.Err.WriteLineAsync($"WARN[0000] {w}");
        if (enabledServices.Count > 0)
        {
            foreach (var s in enabledServices)
            {
                if (!project.Services.ContainsKey(s) && !project.DisabledServices.ContainsKey(s)) throw new ComposeException($"no such service: {s}");
            }
            project = project.WithServicesEnabled(enabledServices.Where(s => !project.Services.ContainsKey(s)));
        }
        return project;
    }

    public ComposeLoadOptions LoadOptions(IReadOnlyList<string> enabledServices) => new()
    {
        ConfigFiles = global.Values("file"),
        Stdin = global.Values("file").Contains(ComposeLoader.StdinFile) ? new StringReader(StdinText()) : null,
        ProjectName = global.Value("project-name"),
        ProjectDirectory = global.Value("project-directory"),
        EnvFiles = global.Values("env-file"),
        Profiles = [.. global.Values("profile").SelectMany(p => p.Split(',', StringSplitOptions.RemoveEmptyEntries))],
        EnabledServices = enabledServices,
        Environment = ComposeLoadOptions.ProcessEnvironment(),
        WorkingDirectory = Directory.GetCurrentDirectory(),
    };

    /// <summary>
    /// The project name without needing a file when <c>-p</c> or COMPOSE_PROJECT_NAME gives it (<c>down -p x</c>,
    /// <c>ps -p x</c> work from labels alone, as with Compose); else the loaded project's.
    /// </summary>
    public async Task<(string Name, ComposeProject? Project)> ProjectOrNameAsync(CancellationToken ct)
    {
        try
        {
            var p = await LoadAsync([], ct);
            return (p.Name, p);
        }
        catch (Exception ex) when (ex is ComposeException or FileNotFoundException && (global.Value("project-name") ?? ctx.Env("COMPOSE_PROJECT_NAME")) is { Length: > 0 })
        {
            return (ComposeNaming.NormalizeProjectName(global.Value("project-name") ?? ctx.Env("COMPOSE_PROJECT_NAME")!), null);
        }
    }

    private string? _stdin;

    /// <summary><c>-f -</c>: standard input, read once (a command may load the project more than once).</summary>
    private string StdinText()
    {
        if (_stdin is null)
        {
            using var reader = new StreamReader(ctx.StdinStream, leaveOpen: true);
            _stdin = reader.ReadToEnd();
        }
        return _stdin;
    }

    public ComposeEngine Engine() => new(ctx.Client, new ComposeProgress(ctx.Err, StderrIsTerminal), new CliBuildContextWriter());
}

using Berth.Cli.Parsing;
using Berth.Compose;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// <c>berth compose [-f FILE]... [-p NAME] [--profile P] [--env-file F] [--project-directory D] COMMAND</c>: Docker Compose v2's
/// command line over the Compose engine. Errors print as Compose prints them and exit 1.
/// </summary>
internal static class ComposeCommand
{
    private delegate Task<int> Sub(ComposeInvocation inv, string[] args, CancellationToken ct);

    private static readonly OptionSpec[] GlobalSpecs =
    [
        OptionSpec.Value("file", 'f'), OptionSpec.Value("project-name", 'p'), OptionSpec.Value("profile"), OptionSpec.Value("env-file"),
        OptionSpec.Value("project-directory"), OptionSpec.Value("progress"), OptionSpec.Value("ansi"), OptionSpec.Value("parallel"),
        OptionSpec.Flag("compatibility"), OptionSpec.Flag("dry-run"), OptionSpec.Flag("all-resources"),
    ];

    private static readonly (string Name, Sub Handler, string Description)[] Subcommands =
    [
        ("up", ComposeUpCommand.UpAsync, "Create and start containers"),
        ("create", ComposeUpCommand.CreateAsync, "Creates containers for a service"),
        ("down", ComposeDownCommand.RunAsync, "Stop and remove containers, networks"),
        ("ps", ComposePsCommand.RunAsync, "List containers"),
        ("logs", ComposeLogsCommand.RunAsync, "View output from containers"),
        ("exec", ComposeExecCommand.ExecAsync, "Execute a command in a running container"),
        ("run", ComposeExecCommand.RunAsync, "Run a one-off command on a service"),
        ("build", ComposeImageCommands.BuildAsync, "Build or rebuild services"),
        ("pull", ComposeImageCommands.PullAsync, "Pull service images"),
        ("push", ComposeImageCommands.PushAsync, "Push service images"),
        ("images", ComposeImageCommands.ImagesAsync, "List images used by the created containers"),
        ("config", ComposeConfigCommand.RunAsync, "Parse, resolve and render compose file in canonical format"),
        ("start", ComposeLifecycleCommands.StartAsync, "Start services"),
        ("stop", ComposeLifecycleCommands.StopAsync, "Stop services"),
        ("restart", ComposeLifecycleCommands.RestartAsync, "Restart service containers"),
        ("rm", ComposeLifecycleCommands.RemoveAsync, "Removes stopped service containers"),
        ("kill", ComposeLifecycleCommands.KillAsync, "Force stop service containers"),
        ("pause", ComposeLifecycleCommands.PauseAsync, "Pause services"),
        ("unpause", ComposeLifecycleCommands.UnpauseAsync, "Unpause services"),
        ("scale", ComposeLifecycleCommands.ScaleAsync, "Scale services"),
        ("top", ComposeInfoCommands.TopAsync, "Display the running processes"),
        ("port", ComposeInfoCommands.PortAsync, "Print the public port for a port binding"),
        ("ls", ComposeInfoCommands.LsAsync, "List running compose projects"),
        ("version", ComposeInfoCommands.VersionAsync, "Show the Docker Compose version information"),
    ];

    public static async Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var global = ArgParser.Parse(args, GlobalSpecs, stopAtFirstPositional: true);
        if (global.Positionals.Count == 0 || global.Positionals[0] is "help")
        {
            ctx.Out.WriteLine("\nUsage:  berth compose [OPTIONS] COMMAND\n\nDefine and run multi-container applications with Berth\n\nCommands:");
            foreach (var (name, _, description) in Subcommands) ctx.Out.WriteLine($"  {name,-10}{description}");
            return 0;
        }
        var subName = global.Positionals[0];
        var sub = Subcommands.FirstOrDefault(s => s.Name == subName);
        if (sub.Handler is null)
        {
            ctx.Err.WriteLine($"unknown docker command: \"compose {subName}\"");
            return 1;
        }
        var subArgs = global.Positionals.Skip(1).ToArray();
        if (subArgs is ["--help" or "-h", ..])
        {
            ctx.Out.WriteLine($"\nUsage:  berth compose {subName} [OPTIONS]\n\n{sub.Description}");
            return 0;
        }
        try
        {
            return await sub.Handler(new ComposeInvocation(ctx, global), subArgs, ct);
        }
        catch (ComposeException ex)
        {
            await ctx.Out.FlushAsync(ct);
            await ctx.Err.WriteLineAsync(ex.Message);
            return 1;
        }
        catch (FileNotFoundException ex)
        {
            await ctx.Out.FlushAsync(ct);
            await ctx.Err.WriteLineAsync(ex.Message);
            return 14;
        }
        catch (Berth.Client.DockerApiException ex)
        {
            await ctx.Out.FlushAsync(ct);
            await ctx.Err.WriteLineAsync("Error response from daemon: " + ex.Message);
            return 1;
        }
    }
}

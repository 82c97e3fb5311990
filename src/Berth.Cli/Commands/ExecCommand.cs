using Berth.Api.Models.Exec;
using Berth.Cli.Parsing;
using Berth.Cli.Streams;
using Berth.Cli.Terminal;

namespace Berth.Cli.Commands;

/// <summary><c>berth exec</c>: inspect → create exec → hijacked start → resize → pump → exit code from exec inspect.</summary>
internal static class ExecCommand
{
    private static readonly OptionSpec[] Specs =
    [
        OptionSpec.Flag("interactive", 'i'), OptionSpec.Flag("tty", 't'), OptionSpec.Flag("detach", 'd'), OptionSpec.Value("user", 'u'),
        OptionSpec.Value("workdir", 'w'), OptionSpec.Value("env", 'e'), OptionSpec.Value("env-file"), OptionSpec.Flag("privileged"),
        OptionSpec.Value("detach-keys"),
    ];

    public static async Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs, stopAtFirstPositional: true);
        if (a.Positionals.Count < 2) throw new UsageException("\"exec\" requires at least 2 arguments.");
        var tty = a.Flag("tty");
        var interactive = a.Flag("interactive");
        var detach = a.Flag("detach");
        if (tty && interactive && !detach && !TerminalInterop.IsTerminal(0))
        {
            ctx.Err.WriteLine("the input device is not a TTY");
            return 1;
        }
        var container = a.Positionals[0];
        // Inspect first so "No such container" is the error a user sees, as docker does.
        await ctx.Client.InspectContainerAsync(container, ct);
        var env = new List<string>();
        foreach (var f in a.Values("env-file"))
        {
            env.AddRange(File.ReadAllLines(f).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => ContainerOptions.ExpandEnv(l, ctx.Env)));
        }
        env.AddRange(a.Values("env").Select(e => ContainerOptions.ExpandEnv(e, ctx.Env)));
        var size = tty ? TtyResizer.CurrentSize() : null;
        var config = new ExecConfig
        {
            AttachStdin = interactive && !detach,
            AttachStdout = !detach,
            AttachStderr = !detach,
            Tty = tty,
            Cmd = [.. a.Positionals.Skip(1)],
            Env = env.Count > 0 ? env : null,
            User = a.Value("user") ?? "",
            WorkingDir = a.Value("workdir") ?? "",
            Privileged = a.Flag("privileged"),
            DetachKeys = a.Value("detach-keys") ?? "",
            ConsoleSize = size is { } s ? [s.Height, s.Width] : null,
        };
        var execId = (await ctx.Client.CreateExecAsync(container, config, ct)).Id;
        var start = new ExecStartConfig { Detach = detach, Tty = tty, ConsoleSize = config.ConsoleSize };
        if (detach)
        {
            await ctx.Client.StartExecDetachedAsync(execId, start, ct);
            return 0;
        }
        using (var conn = await ctx.Client.StartExecAttachedAsync(execId, start, ct))
        {
            using var raw = tty && interactive ? RawTerminal.Enter() : null;
            using var resizer = tty ? new TtyResizer((h, w, t) => ctx.Client.ResizeExecAsync(execId, h, w, t)) : null;
            if (resizer is not null) await resizer.InitialAsync(ct);
            if (await AttachPump.RunAsync(ctx, conn, tty, interactive, DetachKeys.Parse(a.Value("detach-keys")), ct)) return 0;
        }
        var result = await ctx.Client.InspectExecAsync(execId, ct);
        return result.ExitCode ?? 0;
    }
}

using Berth.Cli.Parsing;
using Berth.Compose;

namespace Berth.Cli.Commands.Compose;

/// <summary><c>compose start|stop|restart|rm|kill|pause|unpause|scale</c>.</summary>
internal static class ComposeLifecycleCommands
{
    public static async Task<int> StartAsync(ComposeInvocation inv, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, [OptionSpec.Flag("wait"), OptionSpec.Value("wait-timeout")]);
        var project = await inv.LoadAsync(a.Positionals, ct);
        await inv.Engine().StartAsync(project, a.Positionals, ct);
        return 0;
    }

    public static async Task<int> StopAsync(ComposeInvocation inv, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, [OptionSpec.Value("timeout", 't')]);
        var project = await inv.LoadAsync(a.Positionals, ct);
        await inv.Engine().StopAsync(project, a.Positionals, a.Int("timeout"), ct);
        return 0;
    }

    public static async Task<int> RestartAsync(ComposeInvocation inv, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, [OptionSpec.Value("timeout", 't'), OptionSpec.Flag("no-deps")]);
        var project = await inv.LoadAsync(a.Positionals, ct);
        await inv.Engine().RestartAsync(project, a.Positionals, a.Int("timeout"), ct);
        return 0;
    }

    /// <summary><c>rm [-f] [-s] [-v]</c>: without -f Compose asks; we never prompt (no TTY dialogue), so -f is implied.</summary>
    public static async Task<int> RemoveAsync(ComposeInvocation inv, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, [OptionSpec.Flag("force", 'f'), OptionSpec.Flag("stop", 's'), OptionSpec.Flag("volumes", 'v')]);
        var project = await inv.LoadAsync(a.Positionals, ct);
        var removed = await inv.Engine().RemoveAsync(project, a.Positionals, a.Flag("stop"), a.Flag("volumes"), ct);
        if (removed == 0) inv.Ctx.Err.WriteLine("No stopped containers");
        return 0;
    }

    public static async Task<int> KillAsync(ComposeInvocation inv, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, [OptionSpec.Value("signal", 's'), OptionSpec.Flag("remove-orphans")]);
        var project = await inv.LoadAsync(a.Positionals, ct);
        await inv.Engine().KillAsync(project, a.Positionals, a.Value("signal") ?? "SIGKILL", ct);
        return 0;
    }

    public static async Task<int> PauseAsync(ComposeInvocation inv, string[] args, CancellationToken ct)
    {
        var project = await inv.LoadAsync(args, ct);
        await inv.Engine().PauseAsync(project, args, ct);
        return 0;
    }

    public static async Task<int> UnpauseAsync(ComposeInvocation inv, string[] args, CancellationToken ct)
    {
        var project = await inv.LoadAsync(args, ct);
        await inv.Engine().UnpauseAsync(project, args, ct);
        return 0;
    }

    /// <summary><c>compose scale SERVICE=N...</c> (the seeds write <c>docker compose scale api=3</c>).</summary>
    public static async Task<int> ScaleAsync(ComposeInvocation inv, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, [OptionSpec.Flag("no-deps")]);
        if (a.Positionals.Count == 0) throw new UsageException("\"scale\" requires at least 1 argument.");
        var scale = ComposeUpCommand.ParseScale(a.Positionals);
        var project = await inv.LoadAsync([.. scale.Keys], ct);
        foreach (var s in scale.Keys)
        {
            if (!project.Services.ContainsKey(s)) throw new ComposeException($"no such service: {s}");
        }
        await inv.Engine().ScaleAsync(project, scale, a.Flag("no-deps"), ct);
        return 0;
    }
}

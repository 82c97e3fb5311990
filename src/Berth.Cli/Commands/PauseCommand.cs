using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>berth pause</c>.</summary>
internal static class PauseCommand
{
    public static Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct) =>
        MultiTarget.RunAsync(ctx, ArgParser.Parse(args, []).Positionals, n => ctx.Client.PauseContainerAsync(n, ct));
}

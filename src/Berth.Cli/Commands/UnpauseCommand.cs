using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>berth unpause</c>.</summary>
internal static class UnpauseCommand
{
    public static Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct) =>
        MultiTarget.RunAsync(ctx, ArgParser.Parse(args, []).Positionals, n => ctx.Client.UnpauseContainerAsync(n, ct));
}

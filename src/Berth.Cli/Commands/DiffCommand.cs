using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>berth diff CONTAINER</c>: one line per changed path, <c>A</c> added, <c>C</c> changed, <c>D</c> deleted, as docker prints them.</summary>
internal static class DiffCommand
{
    public static async Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        if (args.Length != 1) throw new UsageException("\"diff\" requires exactly 1 argument.");
        foreach (var change in await ctx.Client.ChangesAsync(args[0], ct))
        {
            var kind = change.Kind switch { 0 => "C", 1 => "A", 2 => "D", _ => "?" };
            await ctx.Out.WriteAsync($"{kind} {change.Path}\n");
        }
        return 0;
    }
}

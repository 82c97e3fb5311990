using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>berth rename OLD NEW</c>.</summary>
internal static class RenameCommand
{
    public static async Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, []);
        if (a.Positionals.Count != 2) throw new UsageException("\"rename\" requires exactly 2 arguments.");
        await ctx.Client.RenameContainerAsync(a.Positionals[0], a.Positionals[1], ct);
        return 0;
    }
}

using Berth.Cli.Parsing;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands;

/// <summary><c>berth top CONTAINER [ps OPTIONS]</c>: the daemon's Titles/Processes as an aligned table.</summary>
internal static class TopCommand
{
    public static async Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        if (args.Length == 0) throw new UsageException("\"top\" requires at least 1 argument.");
        var top = await ctx.Client.TopAsync(args[0], args.Length > 1 ? string.Join(' ', args[1..]) : null, ct);
        var tw = new TabWriter(ctx.Out, minWidth: 20, padding: 3);
        tw.Write(string.Join('\t', top.Titles) + "\n");
        foreach (var p in top.Processes) tw.Write(string.Join('\t', p) + "\n");
        tw.Flush();
        return 0;
    }
}

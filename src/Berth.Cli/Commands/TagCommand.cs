using Berth.Cli.Formatting;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>berth tag SOURCE TARGET</c>: <c>POST /images/{source}/tag?repo=docker.io/library/x&amp;tag=t</c>.</summary>
internal static class TagCommand
{
    public static async Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, []);
        if (a.Positionals.Count != 2) throw new UsageException("\"tag\" requires exactly 2 arguments.");
        var (repo, tag) = ReferenceText.Split(a.Positionals[1]);
        await ctx.Client.TagImageAsync(a.Positionals[0], repo, tag, ct);
        return 0;
    }
}

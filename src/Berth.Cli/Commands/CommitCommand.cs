using Berth.Cli.Formatting;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>berth commit [-a AUTHOR] [-c CHANGE]... [-m MESSAGE] [-p] CONTAINER [REPOSITORY[:TAG]]</c>: prints the new image id.</summary>
internal static class CommitCommand
{
    private static readonly OptionSpec[] Specs = [OptionSpec.Value("author", 'a'), OptionSpec.Value("change", 'c'), OptionSpec.Value("message", 'm'), OptionSpec.Flag("pause", 'p')];

    public static async Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs);
        if (a.Positionals.Count is < 1 or > 2) throw new UsageException("\"commit\" requires at least 1 and at most 2 arguments.");
        string? repo = null, tag = null;
        if (a.Positionals.Count == 2)
        {
            var target = a.Positionals[1];
            var hasTag = target.LastIndexOf(':') > target.LastIndexOf('/');
            (repo, tag) = ReferenceText.Split(target);
            if (!hasTag) tag = null;
        }
        var id = await ctx.Client.CommitAsync(a.Positionals[0], repo, tag, a.Value("message"), a.Value("author"), a.Value("pause") is not ("false" or "0"), a.Values("change"), ct);
        ctx.Out.WriteLine(id);
        return 0;
    }
}

using Berth.Cli.Formatting;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>berth import file|- [REPOSITORY[:TAG]]</c>: <c>POST /images/create?fromSrc=-</c> with the tarball.</summary>
internal static class ImportCommand
{
    private static readonly OptionSpec[] Specs = [OptionSpec.Value("change", 'c'), OptionSpec.Value("message", 'm'), OptionSpec.Value("platform")];

    public static async Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs);
        if (a.Positionals.Count is < 1 or > 2) throw new UsageException("\"import\" requires at least 1 and at most 2 arguments.");
        var source = a.Positionals[0];
        if (source.StartsWith("http://", StringComparison.Ordinal) || source.StartsWith("https://", StringComparison.Ordinal))
            throw new UsageException("importing from a URL is not supported: download the tarball and import the file");
        string? repo = null, tag = null;
        if (a.Positionals.Count == 2)
        {
            (repo, tag) = ReferenceText.Split(a.Positionals[1]);
            repo = ReferenceText.Familiar(repo);
        }
        await using var input = source == "-" ? ctx.StdinStream : File.OpenRead(source);
        var stream = await ctx.Client.ImportImageAsync(input, repo, tag, a.Value("message"), a.Values("change"), ct);
        await PullProgress.RenderAsync(stream, ctx.Out, ct, ctx.TerminalOf(ctx.Out));
        return 0;
    }
}

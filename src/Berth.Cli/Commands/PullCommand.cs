using Berth.Cli.Formatting;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>berth pull NAME[:TAG|@DIGEST]</c>: progress lines, then the full reference.</summary>
internal static class PullCommand
{
    private static readonly OptionSpec[] Specs = [OptionSpec.Flag("quiet", 'q'), OptionSpec.Value("platform"), OptionSpec.Flag("all-tags", 'a')];

    public static async Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs);
        if (a.Positionals.Count != 1) throw new UsageException("\"pull\" requires exactly 1 argument.");
        var name = a.Positionals[0];
        var (repo, tag) = ReferenceText.Split(name);
        var hasTag = name.Contains('@') || name.LastIndexOf(':') > name.LastIndexOf('/');
        if (!hasTag && !a.Flag("quiet")) ctx.Out.WriteLine("Using default tag: latest");
        await PullProgress.PullAsync(ctx, name, a.Value("platform"), a.Flag("quiet") ? TextWriter.Null : ctx.Out, ct);
        ctx.Out.WriteLine(repo + (tag.StartsWith("sha256:", StringComparison.Ordinal) ? "@" : ":") + tag);
        return 0;
    }
}

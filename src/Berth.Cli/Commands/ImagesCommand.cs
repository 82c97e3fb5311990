using Berth.Cli.Formatting;
using Berth.Cli.Parsing;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands;

/// <summary><c>berth images [REPOSITORY[:TAG]]</c>: one row per tag, docker's columns and <c>--format</c> fields.</summary>
internal static class ImagesCommand
{
    private static readonly OptionSpec[] Specs =
    [
        OptionSpec.Flag("quiet", 'q'), OptionSpec.Flag("all", 'a'), OptionSpec.Flag("digests"), OptionSpec.Flag("no-trunc"),
        OptionSpec.Value("format"), OptionSpec.Value("filter", 'f'), OptionSpec.Flag("tree"),
    ];

    public static async Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs);
        var filters = a.Values("filter").ToList();
        if (a.Positionals.Count > 1) throw new UsageException("\"images\" requires at most 1 argument.");
        if (a.Positionals.Count == 1) filters.Add("reference=" + a.Positionals[0]);
        var images = await ctx.Client.ListImagesAsync(a.Flag("all"), false, FilterArgs.ToJson(filters), ct);
        var trunc = !a.Flag("no-trunc");
        var now = ctx.Time.GetUtcNow();
        var rows = images.SelectMany(i => ImageRows.Rows(i, trunc, now)).ToList();
        var format = a.Value("format") ?? "";
        var quiet = a.Flag("quiet");
        var effective = format switch
        {
            _ when quiet => "{{.ID}}",
            "" or "table" => a.Flag("digests") ? ImageRows.DigestsTable : ImageRows.DefaultTable,
            _ => format,
        };
        FormatWriter.Write(ctx.Out, effective, ImageRows.Header(), rows, ImageRows.Options());
        return 0;
    }
}

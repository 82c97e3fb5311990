using Berth.Cli.Formatting;
using Berth.Cli.Parsing;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands;

/// <summary><c>berth ps</c>: docker's columns, quiet ids, <c>--format</c> over the computed row fields.</summary>
internal static class PsCommand
{
    private static readonly OptionSpec[] Specs =
    [
        OptionSpec.Flag("all", 'a'), OptionSpec.Flag("quiet", 'q'), OptionSpec.Value("last", 'n'), OptionSpec.Flag("latest", 'l'),
        OptionSpec.Value("filter", 'f'), OptionSpec.Value("format"), OptionSpec.Flag("no-trunc"), OptionSpec.Flag("size", 's'),
    ];

    public static async Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs);
        if (a.Positionals.Count > 0) throw new UsageException("\"ps\" accepts no arguments.");
        var limit = a.Flag("latest") ? 1 : a.Int("last") is { } n && n > 0 ? n : (int?)null;
        var format = a.Value("format") ?? "";
        var quiet = a.Flag("quiet");
        var size = a.Flag("size") || format.Contains(".Size", StringComparison.Ordinal);
        if (quiet) size = false;
        var containers = await ctx.Client.ListContainersAsync(a.Flag("all") || limit is not null, limit, size, FilterArgs.ToJson(a.Values("filter")), ct);
        var trunc = !a.Flag("no-trunc");
        var now = ctx.Time.GetUtcNow();
        var rows = containers.Select(c => ContainerRows.Row(c, trunc, now)).ToList();
        var effective = format switch
        {
            "" or "table" when quiet => "{{.ID}}",
            "" or "table" => a.Flag("size") ? ContainerRows.DefaultTable + "\t{{.Size}}" : ContainerRows.DefaultTable,
            _ when quiet => "{{.ID}}",
            _ => format,
        };
        FormatWriter.Write(ctx.Out, effective, ContainerRows.Header(), rows, ContainerRows.Options(containers, rows));
        return 0;
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth search [--limit N] [-f is-official=true|stars=N] [--no-trunc] [--format T] TERM</c>: docker's table (NAME, DESCRIPTION
/// cut to 45 columns, STARS, OFFICIAL as <c>[OK]</c>), with the credentials stored for the term's registry.
/// </summary>
internal static class SearchCommand
{
    private const string DefaultTable = "table {{.Name}}\t{{.Description}}\t{{.StarCount}}\t{{.IsOfficial}}";

    private static readonly OptionSpec[] Specs = [OptionSpec.Flag("no-trunc"), OptionSpec.Value("filter", 'f'), OptionSpec.Value("limit"), OptionSpec.Value("format")];

    public static async Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs);
        if (a.Positionals.Count != 1) throw new UsageException("\"search\" requires exactly 1 argument.");
        var term = a.Positionals[0];
        var limit = 0;
        if (a.Value("limit") is { } l && !int.TryParse(l, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out limit))
            throw new UsageException($"invalid argument \"{l}\" for \"--limit\" flag: strconv.ParseInt: parsing \"{l}\": invalid syntax");
        var filters = a.Values("filter").ToList();
        if (filters.Any(f => f.StartsWith("is-automated", StringComparison.OrdinalIgnoreCase)))
            ctx.Err.WriteLine("WARNING: the \"is-automated\" filter is deprecated, and searching for \"is-automated=true\" will not yield any results in future.");
        var auth = DockerConfigFile.AuthHeaderFor(ctx.Env, PushCommand.RegistryOf(term));
        var results = await ctx.Client.SearchImagesAsync(term, limit, FilterArgs.ToJson(filters), auth, ct);
        var format = a.Value("format") is { Length: > 0 } f && f != "table" ? f : DefaultTable;
        var json = FormatWriter.TemplateString(format).Trim() == "{{json .}}";
        var rows = results.OfType<JsonObject>().Select(r => Row(r, trunc: !a.Flag("no-trunc"), json)).ToList();
        var header = new JsonObject { ["Name"] = "NAME", ["Description"] = "DESCRIPTION", ["StarCount"] = "STARS", ["IsOfficial"] = "OFFICIAL" };
        FormatWriter.Write(ctx.Out, format, header, rows, new TemplateOptions { RootTypeName = "*registry.searchContext", RootJsonEscapesHtml = true });
        return 0;
    }

    // docker's searchContext: every field a string; booleans are "[OK]"/"" in tables and "true"/"false" under {{json .}}.
    private static JsonObject Row(JsonObject r, bool trunc, bool json)
    {
        var description = (r["description"]?.GetValue<string>() ?? "").Replace('\n', ' ').Replace('\r', ' ');
        var official = r["is_official"]?.GetValue<bool>() ?? false;
        return new JsonObject
        {
            ["Description"] = trunc ? HumanUnits.Ellipsis(description, 45) : description,
            ["IsOfficial"] = json ? (official ? "true" : "false") : official ? "[OK]" : "",
            ["Name"] = r["name"]?.GetValue<string>() ?? "",
            ["StarCount"] = (r["star_count"]?.GetValue<int>() ?? 0).ToString(CultureInfo.InvariantCulture),
        };
    }
}

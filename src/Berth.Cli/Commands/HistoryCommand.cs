using Berth.Api.Models;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>berth history [--no-trunc] [-q] [-H=false] IMAGE</c>: docker's IMAGE / CREATED / CREATED BY / SIZE / COMMENT table.</summary>
internal static class HistoryCommand
{
    private static readonly OptionSpec[] Specs = [OptionSpec.Flag("no-trunc"), OptionSpec.Flag("quiet", 'q'), OptionSpec.Flag("human", 'H'), OptionSpec.Value("format"), OptionSpec.Value("platform")];

    public static async Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs);
        if (a.Positionals.Count != 1) throw new UsageException("\"history\" requires exactly 1 argument.");
        var items = await ctx.Client.GetJsonAsync($"/images/{a.Positionals[0]}/history", ApiJsonContext.Default.ListImageHistoryItem, ct);
        var trunc = !a.Flag("no-trunc");
        var human = a.Value("human") is not ("false" or "0");
        if (a.Flag("quiet"))
        {
            foreach (var i in items) ctx.Out.WriteLine(trunc && i.Id != "<missing>" ? HumanUnits.TruncateId(i.Id) : i.Id);
            return 0;
        }
        var now = ctx.Time.GetUtcNow();
        var rows = new List<string[]> { new[] { "IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT" } };
        foreach (var i in items)
        {
            var created = DateTimeOffset.FromUnixTimeSeconds(i.Created);
            var createdBy = i.CreatedBy.Replace("\t", " ", StringComparison.Ordinal);
            rows.Add(
            [
                trunc && i.Id != "<missing>" ? HumanUnits.TruncateId(i.Id) : i.Id,
                human ? HumanUnits.Duration(now - created) + " ago" : created.ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
                trunc ? HumanUnits.Ellipsis(createdBy, 45) : createdBy,
                human ? HumanUnits.Size(i.Size) : i.Size.ToString(System.Globalization.CultureInfo.InvariantCulture),
                i.Comment,
            ]);
        }
        SimpleTable.Write(ctx.Out, rows);
        return 0;
    }
}

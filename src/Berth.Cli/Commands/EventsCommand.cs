using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Cli.Parsing;
using Berth.Cli.Templates;
using Berth.Client;

namespace Berth.Cli.Commands;

/// <summary><c>berth events</c>: one line per event, docker's default layout
/// (<c>2025-05-30T12:07:14.123456789Z container start ID (image=…, name=…)</c>) or <c>--format</c>.</summary>
internal static class EventsCommand
{
    private static readonly OptionSpec[] Specs = [OptionSpec.Value("since"), OptionSpec.Value("until"), OptionSpec.Value("filter", 'f'), OptionSpec.Value("format")];

    public static async Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs);
        var now = ctx.Time.GetUtcNow();
        var format = a.Value("format");
        var tmpl = string.IsNullOrEmpty(format) ? null : GoTemplate.Parse(FormatWriter.TemplateString(format));
        await using var stream = await ctx.Client.EventsAsync(a.Value("since") is { } s ? Units.Timestamp(s, now) : null,
            a.Value("until") is { } u ? Units.Timestamp(u, now) : null, FilterArgs.ToJson(a.Values("filter")), ct);
        await foreach (var ev in BerthClient.ReadJsonLinesAsync(stream, ct))
        {
            ctx.Out.WriteLine(tmpl is null ? Line(ev) : tmpl.Execute(ev));
            await ctx.Out.FlushAsync(ct);
        }
        return 0;
    }

    internal static string Line(JsonNode ev)
    {
        var nanos = ev["timeNano"]?.GetValue<long>() ?? (ev["time"]?.GetValue<long>() ?? 0) * 1_000_000_000;
        var t = DateTimeOffset.UnixEpoch.AddTicks(nanos / 100).ToLocalTime();
        var frac = (nanos % 1_000_000_000).ToString("000000000", CultureInfo.InvariantCulture);
        var off = t.Offset == TimeSpan.Zero ? "Z" : t.ToString("zzz", CultureInfo.InvariantCulture);
        var time = t.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "." + frac + off;
        var attrs = ev["Actor"]?["Attributes"] as JsonObject;
        var attrText = attrs is { Count: > 0 }
            ? " (" + string.Join(", ", attrs.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value?.GetValue<string>()}")) + ")"
            : "";
        return $"{time} {ev["Type"]?.GetValue<string>()} {ev["Action"]?.GetValue<string>()} {ev["Actor"]?["ID"]?.GetValue<string>()}{attrText}";
    }
}

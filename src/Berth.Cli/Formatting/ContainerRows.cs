using System.Text.Json.Nodes;
using Berth.Api.Models.Containers;
using Berth.Cli.Templates;

namespace Berth.Cli.Formatting;

/// <summary>The fields docker's ContainerContext computes for <c>ps</c>, as one JSON object per container (keys sorted
/// like its MarshalJSON), plus <c>.Label "k"</c> through a method resolver.</summary>
internal static class ContainerRows
{
    public const string DefaultTable = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";

    public static JsonObject Header() => new()
    {
        ["ID"] = "CONTAINER ID",
        ["Names"] = "NAMES",
        ["Image"] = "IMAGE",
        ["Command"] = "COMMAND",
        ["CreatedAt"] = "CREATED AT",
        ["RunningFor"] = "CREATED",
        ["Ports"] = "PORTS",
        ["State"] = "STATE",
        ["Status"] = "STATUS",
        ["Size"] = "SIZE",
        ["Labels"] = "LABELS",
        ["Mounts"] = "MOUNTS",
        ["LocalVolumes"] = "LOCAL VOLUMES",
        ["Networks"] = "NETWORKS",
        ["Platform"] = "PLATFORM",
    };

    public static JsonObject Row(ContainerSummary c, bool trunc, DateTimeOffset now)
    {
        var created = DateTimeOffset.FromUnixTimeSeconds(c.Created);
        var names = c.Names.Select(n => n.StartsWith('/') ? n[1..] : n).ToList();
        var srw = HumanUnits.Size(c.SizeRw ?? 0);
        return new JsonObject
        {
            ["Command"] = HumanUnits.GoQuote(trunc ? HumanUnits.Ellipsis(c.Command, 20) : c.Command),
            ["CreatedAt"] = HumanUnits.GoTime(created),
            ["ID"] = trunc ? HumanUnits.TruncateId(c.Id) : c.Id,
            ["Image"] = ImageText(c, trunc),
            ["Labels"] = string.Join(",", c.Labels.Select(kv => kv.Key + "=" + kv.Value).Order(StringComparer.Ordinal)),
            ["LocalVolumes"] = c.Mounts.Count(m => m.Driver == "local").ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mounts"] = string.Join(",", c.Mounts.Select(m => string.IsNullOrEmpty(m.Name) ? m.Source : m.Name).Select(n => trunc ? HumanUnits.Ellipsis(n ?? "", 15) : n)),
            ["Names"] = trunc ? names.FirstOrDefault(n => !n.Contains('/')) ?? "" : string.Join(",", names),
            ["Networks"] = string.Join(",", c.NetworkSettings.Networks.Keys.Order(StringComparer.Ordinal)),
            ["Platform"] = null,
            ["Ports"] = PortsFormatter.Format(c.Ports),
            ["RunningFor"] = HumanUnits.Duration(now - created) + " ago",
            ["Size"] = (c.SizeRootFs ?? 0) > 0 ? $"{srw} (virtual {HumanUnits.Size(c.SizeRootFs!.Value)})" : srw,
            ["State"] = c.State,
            ["Status"] = c.Status,
        };
    }

    /// <summary>Template options for rows made from <paramref name="containers"/>: <c>.Label "k"</c> reads the raw labels.</summary>
    public static TemplateOptions Options(IReadOnlyList<ContainerSummary> containers, IReadOnlyList<JsonObject> rows) => new()
    {
        RootTypeName = "*formatter.ContainerContext",
        RootJsonEscapesHtml = true,
        Methods = (object? receiver, string name, object?[] args, out object? result) =>
        {
            result = null;
            if (name != "Label" || receiver is not JsonObject row) return false;
            var i = IndexOf(rows, row);
            if (i < 0) return false;
            if (args.Length != 1 || args[0] is not string key) throw new TemplateException("wrong number of args for Label: want 1 got " + args.Length);
            result = containers[i].Labels.TryGetValue(key, out var v) ? v : "";
            return true;
        },
    };

    private static int IndexOf(IReadOnlyList<JsonObject> rows, JsonObject row)
    {
        for (var i = 0; i < rows.Count; i++)
        {
            if (ReferenceEquals(rows[i], row)) return i;
        }
        return -1;
    }

    private static string ImageText(ContainerSummary c, bool trunc)
    {
        if (c.Image.Length == 0) return "<no image>";
        if (!trunc) return c.Image;
        var t = HumanUnits.TruncateId(c.ImageID);
        if (t.Length > 0 && t == HumanUnits.TruncateId(c.Image)) return t;
        return ReferenceText.Familiar(ReferenceText.StripDigest(c.Image));
    }
}

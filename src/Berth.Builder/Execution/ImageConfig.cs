using System.Text.Json;
using Berth.Api.Models;
using Berth.Api.Models.Containers;

namespace Berth.Builder.Execution;

/// <summary>The parts of an image config the builder reads and rewrites.</summary>
internal sealed class ImageConfig
{
    public string Architecture { get; set; } = "";
    public string Os { get; set; } = "linux";
    public string? Variant { get; set; }
    public string? Author { get; set; }
    public ContainerConfig? Config { get; set; }
    public List<HistoryEntry> History { get; } = [];

    public static ImageConfig Parse(string json)
    {
        var result = new ImageConfig();
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) return result;
        if (root.TryGetProperty("architecture", out var a) && a.ValueKind == JsonValueKind.String) result.Architecture = a.GetString()!;
        if (root.TryGetProperty("os", out var os) && os.ValueKind == JsonValueKind.String) result.Os = os.GetString()!;
        if (root.TryGetProperty("variant", out var v) && v.ValueKind == JsonValueKind.String) result.Variant = v.GetString();
        if (root.TryGetProperty("author", out var au) && au.ValueKind == JsonValueKind.String) result.Author = au.GetString();
        if (root.TryGetProperty("config", out var c) && c.ValueKind == JsonValueKind.Object)
            result.Config = c.Deserialize(ApiJson.Context.ContainerConfig);
        if (root.TryGetProperty("history", out var h) && h.ValueKind == JsonValueKind.Array)
        {
            foreach (var e in h.EnumerateArray())
            {
                result.History.Add(new HistoryEntry(
                    Str(e, "created") ?? "", Str(e, "created_by"), Str(e, "author"), Str(e, "comment"),
                    e.TryGetProperty("empty_layer", out var el) && el.ValueKind == JsonValueKind.True));
            }
        }
        return result;
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
}

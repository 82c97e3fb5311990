using System.Text.Json.Nodes;
using Berth.Api.Models.Containers;
using Berth.Client;

namespace Berth.Compose.Engine;

/// <summary>What the daemon holds for a project, found by label as Compose does (so containers made by
/// <c>docker compose</c> count too).</summary>
public static class ProjectQueries
{
    /// <summary>A <c>filters</c> query value: <c>{"label":["k=v",…]}</c>.</summary>
    public static string LabelFilter(params string[] labels)
    {
        var arr = new JsonArray([.. labels.Select(l => (JsonNode?)JsonValue.Create(l))]);
        return new JsonObject { ["label"] = arr }.ToJsonString();
    }

    /// <summary>The project's containers; one-off (<c>compose run</c>) ones only when <paramref name="oneOff"/>.</summary>
    public static async Task<List<ContainerSummary>> ContainersAsync(BerthClient client, string project, bool all, bool oneOff, CancellationToken ct)
    {
        var list = await client.ListContainersAsync(all, null, false, LabelFilter($"{ComposeLabels.Project}={project}"), ct);
        return [.. list.Where(c => oneOff || !IsOneOff(c.Labels)).OrderBy(c => ServiceOf(c), StringComparer.Ordinal).ThenBy(NumberOf)];
    }

    public static bool IsOneOff(IReadOnlyDictionary<string, string> labels) =>
        labels.TryGetValue(ComposeLabels.OneOff, out var v) && v.Equals("True", StringComparison.OrdinalIgnoreCase);

    public static string ServiceOf(ContainerSummary c) => c.Labels.TryGetValue(ComposeLabels.Service, out var s) ? s : "";

    public static int NumberOf(ContainerSummary c) =>
        c.Labels.TryGetValue(ComposeLabels.ContainerNumber, out var s) && int.TryParse(s, out var n) ? n : 0;

    public static string NameOf(ContainerSummary c) => c.Names.Count > 0 ? c.Names[0].TrimStart('/') : c.Id[..Math.Min(12, c.Id.Length)];

    /// <summary>The next free replica number: one more than the highest in use (docker/compose <c>nextContainerNumber</c>).</summary>
    public static int NextNumber(IEnumerable<ContainerSummary> containers) => containers.Select(NumberOf).DefaultIfEmpty(0).Max() + 1;

    /// <summary>Project names with containers on this daemon, and how many run (for <c>compose ls</c>).</summary>
    public static async Task<List<(string Name, int Running, int Total, string ConfigFiles)>> ProjectsAsync(BerthClient client, bool all, CancellationToken ct)
    {
        var list = await client.ListContainersAsync(true, null, false, LabelFilter(ComposeLabels.Project), ct);
        return [.. list.GroupBy(c => c.Labels.GetValueOrDefault(ComposeLabels.Project, ""), StringComparer.Ordinal)
            .Where(g => g.Key.Length > 0)
            .Select(g => (g.Key, g.Count(c => c.State == "running"), g.Count(), g.Select(c => c.Labels.GetValueOrDefault(ComposeLabels.ConfigFiles, "")).FirstOrDefault(f => f.Length > 0) ?? ""))
            .Where(p => all || p.Item2 > 0)
            .OrderBy(p => p.Key, StringComparer.Ordinal)];
    }
}

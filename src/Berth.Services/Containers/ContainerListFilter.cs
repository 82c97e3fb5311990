using System.Text.RegularExpressions;
using Berth.Core.Errors;

namespace Berth.Services.Containers;

/// <summary>The <c>filters</c> of <c>GET /containers/json</c>: OR within a key, AND across keys.</summary>
internal static class ContainerListFilter
{
    private static readonly string[] Known = ["id", "name", "label", "status", "exited", "ancestor", "before", "since", "volume", "network", "health", "isolation", "is-task", "publish", "expose"];
    private static readonly string[] Statuses = ["created", "restarting", "running", "removing", "paused", "exited", "dead"];

    public static IEnumerable<Container> Apply(IEnumerable<Container> containers, bool all, IReadOnlyDictionary<string, IReadOnlyList<string>> filters, ContainerService service)
    {
        Filters.Validate(filters, Known);
        if (filters.TryGetValue("status", out var statuses))
            foreach (var s in statuses)
                if (!Statuses.Contains(s)) throw new InvalidArgumentException($"invalid filter 'status={s}'");
        var list = containers.ToList();
        string? beforeCreated = null, sinceCreated = null;
        if (filters.TryGetValue("before", out var before) && before.Count > 0) beforeCreated = service.Get(before[0]).Doc.Created;
        if (filters.TryGetValue("since", out var since) && since.Count > 0) sinceCreated = service.Get(since[0]).Doc.Created;
        // Filters that name states imply --all, as in Docker.
        var showAll = all || filters.ContainsKey("status") || filters.ContainsKey("exited");
        foreach (var c in list)
        {
            var d = c.Doc;
            if (!showAll && !d.State.Running && !d.State.Paused && !d.State.Restarting) continue;
            if (filters.TryGetValue("id", out var ids) && ids.Count > 0 && !ids.Any(i => d.Id.StartsWith(i, StringComparison.Ordinal))) continue;
            if (filters.TryGetValue("name", out var names) && names.Count > 0 && !names.Any(n => NameMatches(d.Name, n))) continue;
            if (filters.TryGetValue("label", out var labels) && !labels.All(l => LabelMatches(d.Config.Labels, l))) continue;
            if (filters.TryGetValue("status", out var st) && st.Count > 0 && !st.Contains(d.State.Status)) continue;
            if (filters.TryGetValue("exited", out var exited) && exited.Count > 0 && !(d.State.Status == "exited" && exited.Contains(d.State.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture)))) continue;
            if (filters.TryGetValue("ancestor", out var anc) && anc.Count > 0 && !anc.Any(a => AncestorMatches(d, a))) continue;
            if (beforeCreated is not null && string.CompareOrdinal(d.Created, beforeCreated) >= 0) continue;
            if (sinceCreated is not null && string.CompareOrdinal(d.Created, sinceCreated) <= 0) continue;
            if (filters.TryGetValue("network", out var nets) && nets.Count > 0 && !nets.Contains(d.HostConfig.NetworkMode ?? "")) continue;
            if (filters.TryGetValue("health", out var health) && health.Count > 0 && !health.Contains(d.State.Health?.Status ?? "none")) continue;
            yield return c;
        }
    }

    private static bool NameMatches(string name, string pattern)
    {
        try { return Regex.IsMatch(name.TrimStart('/'), pattern) || Regex.IsMatch(name, pattern); }
        catch (ArgumentException) { return name.Contains(pattern, StringComparison.Ordinal); }
    }

    private static bool LabelMatches(Dictionary<string, string>? labels, string filter)
    {
        if (labels is null) return false;
        var eq = filter.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? labels.ContainsKey(filter) : labels.TryGetValue(filter[..eq], out var v) && v == filter[(eq + 1)..];
    }

    private static bool AncestorMatches(ContainerDocument d, string ancestor) =>
        d.ImageName == ancestor || d.ImageId == ancestor || d.ImageId[7..].StartsWith(ancestor, StringComparison.Ordinal)
        || Images.ImageService.Familiar(d.ImageName) == Images.ImageService.Familiar(ancestor);
}

using Berth.Api.Models.Containers;

namespace Berth.Services.Containers;

public sealed partial class ContainerService
{
    /// <summary><c>POST /containers/prune</c>: removes stopped containers matching <c>until</c>/<c>label</c> filters.</summary>
    public async Task<ContainerPruneResponse> PruneAsync(IReadOnlyDictionary<string, IReadOnlyList<string>> filters, CancellationToken ct)
    {
        Filters.Validate(filters, "until", "label", "label!");
        var deleted = new List<string>();
        long reclaimed = 0;
        foreach (var c in _byId.Values.ToList())
        {
            var d = c.Doc;
            if (d.State.Running || d.State.Paused || d.State.Restarting) continue;
            if (filters.TryGetValue("label", out var labels) && !labels.All(l => Matches(d.Config.Labels, l))) continue;
            if (filters.TryGetValue("label!", out var notLabels) && notLabels.Any(l => Matches(d.Config.Labels, l))) continue;
            if (filters.TryGetValue("until", out var until) && until.Count > 0 && Timestamps.Parse(d.Created) is { } created && created > UntilTime(until[0])) continue;
            reclaimed += DirectorySize(d.UpperDir);
            await RemoveAsync(d.Id, force: false, ct);
            deleted.Add(d.Id);
        }
        _events.Publish("container", "prune", "", new Dictionary<string, string> { ["reclaimed"] = reclaimed.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        return new ContainerPruneResponse { ContainersDeleted = deleted.Count == 0 ? null : deleted, SpaceReclaimed = reclaimed };

        static bool Matches(Dictionary<string, string>? labels, string filter)
        {
            if (labels is null) return false;
            var eq = filter.IndexOf('=', StringComparison.Ordinal);
            return eq < 0 ? labels.ContainsKey(filter) : labels.TryGetValue(filter[..eq], out var v) && v == filter[(eq + 1)..];
        }
    }

    private DateTimeOffset UntilTime(string text)
    {
        if (long.TryParse(text, out var unix)) return DateTimeOffset.FromUnixTimeSeconds(unix);
        var now = _time.GetUtcNow();
        if (text.EndsWith('h') && double.TryParse(text[..^1], System.Globalization.CultureInfo.InvariantCulture, out var h)) return now.AddHours(-h);
        if (text.EndsWith('m') && double.TryParse(text[..^1], System.Globalization.CultureInfo.InvariantCulture, out var m)) return now.AddMinutes(-m);
        if (text.EndsWith('s') && double.TryParse(text[..^1], System.Globalization.CultureInfo.InvariantCulture, out var s)) return now.AddSeconds(-s);
        return DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    }

    internal static long DirectorySize(string dir)
    {
        if (!Directory.Exists(dir)) return 0;
        long total = 0;
        foreach (var f in new DirectoryInfo(dir).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true }))
        {
            if (f.LinkTarget is null) total += f.Length;
        }
        return total;
    }
}

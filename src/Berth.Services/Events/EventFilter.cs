using Berth.Api.Models.Events;

namespace Berth.Services.Events;

/// <summary>Docker's event filters: OR within a key, AND across keys.</summary>
public sealed class EventFilter(IReadOnlyDictionary<string, IReadOnlyList<string>> filters)
{
    public bool Matches(EventMessage e)
    {
        foreach (var (key, values) in filters)
        {
            if (values.Count == 0) continue;
            var ok = key switch
            {
                "type" => values.Contains(e.Type),
                "event" => values.Any(v => e.Action == v || (e.Action.StartsWith(v + ":", StringComparison.Ordinal) && v is "exec_create" or "exec_start" or "health_status")),
                "container" => e.Type == "container" && MatchesIdOrName(e, values),
                "image" => values.Any(v => e.Actor.Attributes.TryGetValue("image", out var img) && (img == v || img.StartsWith(v + ":", StringComparison.Ordinal)) || (e.Type == "image" && (e.Actor.ID == v || e.Actor.ID.StartsWith(v, StringComparison.Ordinal)))),
                "label" => values.Any(v => MatchesLabel(e, v)),
                "network" => e.Type == "network" && MatchesIdOrName(e, values),
                "volume" => e.Type == "volume" && MatchesIdOrName(e, values),
                "scope" => values.Contains(e.Scope),
                "daemon" => e.Type == "daemon",
                _ => true,
            };
            if (!ok) return false;
        }
        return true;
    }

    private static bool MatchesIdOrName(EventMessage e, IReadOnlyList<string> values) =>
        values.Any(v => e.Actor.ID.StartsWith(v, StringComparison.Ordinal) || (e.Actor.Attributes.TryGetValue("name", out var n) && n == v));

    private static bool MatchesLabel(EventMessage e, string v)
    {
        var eq = v.IndexOf('=', StringComparison.Ordinal);
        if (eq < 0) return e.Actor.Attributes.ContainsKey(v);
        return e.Actor.Attributes.TryGetValue(v[..eq], out var actual) && actual == v[(eq + 1)..];
    }
}

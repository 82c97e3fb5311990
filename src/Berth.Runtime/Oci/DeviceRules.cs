using System.Text.Json.Nodes;
using Berth.Core.Errors;

namespace Berth.Runtime.Oci;

/// <summary>The spec parts for <c>--device</c> (node plus cgroup rule, as moby's DevicesFromPath) and <c>--ulimit</c> (process rlimits).</summary>
internal static class DeviceRules
{
    internal static void Add(IReadOnlyList<HostDevice> devices, JsonObject linux)
    {
        var nodes = linux["devices"] as JsonArray ?? [];
        var rules = (linux["resources"] as JsonObject)?["devices"] as JsonArray;
        foreach (var d in devices)
        {
            var node = HostDevices.Describe(d.HostPath) ?? throw new InvalidArgumentException($"error gathering device information while adding custom device \"{d.HostPath}\": no such file or directory");
            node["path"] = d.ContainerPath;
            nodes.Add((JsonNode)node);
            rules?.Add((JsonNode)new JsonObject
            {
                ["allow"] = true,
                ["type"] = node["type"]!.GetValue<string>(),
                ["major"] = node["major"]!.GetValue<long>(),
                ["minor"] = node["minor"]!.GetValue<long>(),
                ["access"] = d.Permissions,
            });
        }
        linux["devices"] = nodes;
    }

    /// <summary>RLIMIT_NOFILE as the daemon holds it (Docker's default), replaced or joined by the user's <c>--ulimit</c>s.</summary>
    internal static JsonArray Rlimits(IReadOnlyList<Rlimit>? user, SpecContext ctx)
    {
        var byType = new Dictionary<string, (ulong Soft, ulong Hard)>(StringComparer.Ordinal) { ["RLIMIT_NOFILE"] = (ctx.NoFileSoft, ctx.NoFileHard) };
        foreach (var r in user ?? [])
        {
            var type = "RLIMIT_" + r.Name.ToUpperInvariant();
            if (type is not ("RLIMIT_AS" or "RLIMIT_CORE" or "RLIMIT_CPU" or "RLIMIT_DATA" or "RLIMIT_FSIZE" or "RLIMIT_LOCKS" or "RLIMIT_MEMLOCK"
                or "RLIMIT_MSGQUEUE" or "RLIMIT_NICE" or "RLIMIT_NOFILE" or "RLIMIT_NPROC" or "RLIMIT_RSS" or "RLIMIT_RTPRIO" or "RLIMIT_RTTIME"
                or "RLIMIT_SIGPENDING" or "RLIMIT_STACK"))
                throw new InvalidArgumentException($"invalid ulimit type: {r.Name}");
            if (r.Soft > r.Hard && r.Hard >= 0) throw new InvalidArgumentException($"ulimit soft limit must be less than or equal to hard limit: {r.Soft} > {r.Hard}");
            byType[type] = (ToRlim(r.Soft), ToRlim(r.Hard));
        }
        var result = new JsonArray();
        foreach (var (type, (soft, hard)) in byType) result.Add((JsonNode)new JsonObject { ["type"] = type, ["hard"] = hard, ["soft"] = soft });
        return result;
    }

    private static ulong ToRlim(long v) => v < 0 ? ulong.MaxValue : (ulong)v;
}

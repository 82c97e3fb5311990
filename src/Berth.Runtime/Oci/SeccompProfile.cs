using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Core.Errors;

namespace Berth.Runtime.Oci;

/// <summary>A seccomp profile in Docker's format, rendered into the OCI spec's linux.seccomp for one container.</summary>
internal sealed record SeccompProfile(string DefaultAction, int? DefaultErrnoRet, IReadOnlyList<SeccompRule> Rules)
{
    internal const string ActAllow = "SCMP_ACT_ALLOW";
    internal const string ActErrno = "SCMP_ACT_ERRNO";

    internal static string HostArch => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.Arm => "arm",
        Architecture.X86 => "386",
        Architecture.S390x => "s390x",
        Architecture.Ppc64le => "ppc64le",
        Architecture.RiscV64 => "riscv64",
        _ => "unknown",
    };

    private static string[] OciArchitectures(string arch) => arch switch
    {
        "amd64" => ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
        "arm64" => ["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"],
        "s390x" => ["SCMP_ARCH_S390X", "SCMP_ARCH_S390"],
        "riscv64" => ["SCMP_ARCH_RISCV64"],
        _ => [],
    };

    /// <summary>The rules that apply to a container with these capabilities on this architecture and kernel.</summary>
    internal IEnumerable<SeccompRule> Applicable(IReadOnlyCollection<string> caps, string arch, Version kernel)
    {
        foreach (var r in Rules)
        {
            if (r.IncludeCaps is { Count: > 0 } ic && !ic.All(caps.Contains)) continue;
            if (r.ExcludeCaps is { Count: > 0 } ec && ec.Any(caps.Contains)) continue;
            if (r.IncludeArches is { Count: > 0 } ia && !ia.Contains(arch)) continue;
            if (r.ExcludeArches is { Count: > 0 } ea && ea.Contains(arch)) continue;
            if (r.MinKernel is { } mk && Version.TryParse(mk.Contains('.') ? mk : mk + ".0", out var min) && kernel < min) continue;
            yield return r;
        }
    }

    internal JsonObject Render(IReadOnlyCollection<string> caps, string arch, Version kernel)
    {
        var syscalls = new JsonArray();
        foreach (var r in Applicable(caps, arch, kernel))
        {
            var o = new JsonObject
            {
                ["names"] = new JsonArray([.. r.Names.Select(n => (JsonNode)n)]),
                ["action"] = r.Action,
            };
            if (r.ErrnoRet is { } e) o["errnoRet"] = e;
            if (r.Args is { Count: > 0 } args)
            {
                o["args"] = new JsonArray([.. args.Select(a => (JsonNode)new JsonObject
                {
                    ["index"] = a.Index, ["value"] = a.Value, ["valueTwo"] = a.ValueTwo, ["op"] = a.Op,
                })]);
            }
            syscalls.Add((JsonNode)o);
        }
        var result = new JsonObject { ["defaultAction"] = DefaultAction };
        if (DefaultErrnoRet is { } de) result["defaultErrnoRet"] = de;
        result["architectures"] = new JsonArray([.. OciArchitectures(arch).Select(a => (JsonNode)a)]);
        result["syscalls"] = syscalls;
        return result;
    }

    /// <summary>Reads a Docker-format profile (--security-opt seccomp=file).</summary>
    internal static SeccompProfile Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var rules = new List<SeccompRule>();
            if (root.TryGetProperty("syscalls", out var sc) && sc.ValueKind == JsonValueKind.Array)
            {
                foreach (var s in sc.EnumerateArray())
                {
                    var names = Strings(s, "names");
                    if (s.TryGetProperty("name", out var single) && single.ValueKind == JsonValueKind.String) names.Add(single.GetString()!);
                    var args = new List<SeccompArg>();
                    if (s.TryGetProperty("args", out var a) && a.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var x in a.EnumerateArray())
                        {
                            args.Add(new SeccompArg(x.GetProperty("index").GetUInt32(), x.GetProperty("value").GetUInt64(),
                                x.TryGetProperty("valueTwo", out var v2) ? v2.GetUInt64() : 0, x.GetProperty("op").GetString()!));
                        }
                    }
                    s.TryGetProperty("includes", out var inc);
                    s.TryGetProperty("excludes", out var exc);
                    rules.Add(new SeccompRule(names, s.GetProperty("action").GetString()!,
                        s.TryGetProperty("errnoRet", out var er) && er.ValueKind == JsonValueKind.Number ? er.GetInt32() : null,
                        args, Strings(inc, "caps"), Strings(exc, "caps"), Strings(inc, "arches"), Strings(exc, "arches"),
                        inc.ValueKind == JsonValueKind.Object && inc.TryGetProperty("minKernel", out var mk) ? mk.GetString() : null));
                }
            }
            return new SeccompProfile(root.GetProperty("defaultAction").GetString()!,
                root.TryGetProperty("defaultErrnoRet", out var de) && de.ValueKind == JsonValueKind.Number ? de.GetInt32() : null, rules);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidArgumentException($"Decoding seccomp profile failed: {e.Message}", e);
        }
    }

    private static List<string> Strings(JsonElement e, string property)
    {
        var list = new List<string>();
        if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty(property, out var p) && p.ValueKind == JsonValueKind.Array)
            foreach (var x in p.EnumerateArray()) list.Add(x.GetString()!);
        return list;
    }
}

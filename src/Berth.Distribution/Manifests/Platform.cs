using System.Runtime.InteropServices;
using System.Text.Json.Serialization;
using Berth.Core.Errors;

namespace Berth.Distribution.Manifests;

/// <summary>An OCI platform (<c>linux/amd64</c>, <c>linux/arm/v7</c>); <see cref="Host"/> is the machine's own.</summary>
public sealed class Platform
{
    [JsonPropertyName("architecture")] public string Architecture { get; set; } = "";
    [JsonPropertyName("os")] public string Os { get; set; } = "";
    [JsonPropertyName("os.version")] public string? OsVersion { get; set; }
    [JsonPropertyName("variant")] public string? Variant { get; set; }

    public static Platform Host => new() { Os = "linux", Architecture = HostArchitecture(), Variant = RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "v8" : null };

    /// <summary>Parses <c>os[/arch[/variant]]</c> as <c>--platform</c> takes it; an empty string is the host.</summary>
    public static Platform Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Host;
        var parts = text.Trim().ToLowerInvariant().Split('/');
        if (parts.Length > 3 || parts.Any(p => p.Length == 0)) throw new InvalidArgumentException($"invalid platform: {text}");
        var p = new Platform { Os = parts[0], Architecture = parts.Length > 1 ? Normalize(parts[1]) : HostArchitecture(), Variant = parts.Length > 2 ? parts[2] : null };
        if (p.Architecture == "arm64" && p.Variant is null) p.Variant = "v8";
        return p;
    }

    /// <summary>Whether a manifest for <paramref name="candidate"/> runs here (variant only compared when both name one).</summary>
    public bool Matches(Platform? candidate)
    {
        if (candidate is null) return false;
        if (!string.Equals(candidate.Os, Os, StringComparison.Ordinal) || Normalize(candidate.Architecture) != Architecture) return false;
        var v = candidate.Variant ?? (Normalize(candidate.Architecture) == "arm64" ? "v8" : null);
        return Variant is null || v is null || v == Variant;
    }

    public override string ToString() => Os + "/" + Architecture + (Variant is null ? "" : "/" + Variant);

    private static string Normalize(string arch) => arch switch
    {
        "x86_64" or "x86-64" => "amd64",
        "aarch64" => "arm64",
        "armhf" or "armel" => "arm",
        "i386" => "386",
        _ => arch,
    };

    internal static string HostArchitecture() => RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        System.Runtime.InteropServices.Architecture.X86 => "386",
        System.Runtime.InteropServices.Architecture.S390x => "s390x",
        System.Runtime.InteropServices.Architecture.Ppc64le => "ppc64le",
        System.Runtime.InteropServices.Architecture.RiscV64 => "riscv64",
        _ => "amd64",
    };
}

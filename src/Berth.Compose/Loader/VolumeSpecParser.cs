using Berth.Compose.Model;

namespace Berth.Compose.Loader;

/// <summary>Short volume syntax "[SOURCE:]TARGET[:OPTIONS]" (compose-go format.ParseVolume, Linux paths).
/// Throws <see cref="FormatException"/> with the message only.</summary>
internal static class VolumeSpecParser
{
    private static readonly HashSet<string> Propagations = new(StringComparer.Ordinal) { "shared", "rshared", "slave", "rslave", "private", "rprivate" };

    public static string? TryTarget(string spec)
    {
        try { return ParseShort(spec).Target; }
        catch (FormatException) { return null; }
    }

    public static ServiceVolumeConfig ParseShort(string spec)
    {
        if (spec.Length == 0) throw new FormatException("invalid empty volume spec");
        var parts = spec.Split(':');
        string? source = null;
        string target;
        string? options = null;
        switch (parts.Length)
        {
            case 1:
                target = parts[0];
                break;
            case 2:
                source = parts[0];
                target = parts[1];
                break;
            case 3:
                source = parts[0];
                target = parts[1];
                options = parts[2];
                break;
            default:
                throw new FormatException($"invalid spec: {spec}: too many colons");
        }
        if (target.Length == 0) throw new FormatException($"invalid spec: {spec}: empty section between colons");
        if (source is { Length: 0 }) throw new FormatException($"invalid spec: {spec}: empty section between colons");
        var isBind = source is not null && (source.StartsWith('.') || source.StartsWith('/') || source.StartsWith('~'));
        var type = source is null || !isBind ? "volume" : "bind";
        var readOnly = false;
        string? selinux = null, propagation = null, consistency = null;
        var noCopy = false;
        if (options is not null)
        {
            foreach (var opt in options.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                switch (opt)
                {
                    case "ro": readOnly = true; break;
                    case "rw": readOnly = false; break;
                    case "z" or "Z": selinux = opt; break;
                    case "nocopy": noCopy = true; break;
                    case "cached" or "delegated" or "consistent": consistency = opt; break;
                    default:
                        if (Propagations.Contains(opt)) { propagation = opt; break; }
                        throw new FormatException($"invalid spec: {spec}: unknown option \"{opt}\"");
                }
            }
        }
        return new ServiceVolumeConfig
        {
            Type = type,
            Source = source,
            Target = target,
            ReadOnly = readOnly,
            Consistency = consistency,
            Bind = type == "bind" ? new ServiceVolumeBind { CreateHostPath = true, SELinux = selinux, Propagation = propagation } : null,
            // As compose-go's ParseVolume: a short-syntax volume always carries a (possibly empty) volume section.
            Volume = type == "volume" ? new ServiceVolumeVolume { NoCopy = noCopy } : null,
        };
    }
}

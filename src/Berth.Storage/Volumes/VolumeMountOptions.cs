using Berth.Core.Errors;
using static Berth.Storage.Interop.Libc;

namespace Berth.Storage.Volumes;

/// <summary>
/// The local driver's <c>-o type=… -o device=… -o o=…</c> options turned into one mount(2) call, as <c>mount -t type -o o device</c>
/// would make it: known flag words become MS_* flags, everything else is file-system data (<c>size=64m</c>, <c>addr=…</c>).
/// </summary>
internal sealed record VolumeMountOptions(string Type, string Device, ulong Flags, string? Data)
{
    private static readonly Dictionary<string, (ulong Set, ulong Clear)> FlagWords = new(StringComparer.Ordinal)
    {
        ["ro"] = (MS_RDONLY, 0),
        ["rw"] = (0, MS_RDONLY),
        ["nosuid"] = (MS_NOSUID, 0),
        ["suid"] = (0, MS_NOSUID),
        ["nodev"] = (MS_NODEV, 0),
        ["dev"] = (0, MS_NODEV),
        ["noexec"] = (MS_NOEXEC, 0),
        ["exec"] = (0, MS_NOEXEC),
        ["sync"] = (MS_SYNCHRONOUS, 0),
        ["async"] = (0, MS_SYNCHRONOUS),
        ["noatime"] = (MS_NOATIME, 0),
        ["atime"] = (0, MS_NOATIME),
        ["nodiratime"] = (MS_NODIRATIME, 0),
        ["diratime"] = (0, MS_NODIRATIME),
        ["relatime"] = (MS_RELATIME, 0),
        ["strictatime"] = (MS_STRICTATIME, 0),
        ["bind"] = (MS_BIND, 0),
        ["rbind"] = (MS_BIND | MS_REC, 0),
        ["defaults"] = (0, 0),
    };

    /// <summary>The option keys Docker's local driver accepts.</summary>
    public static readonly string[] ValidKeys = ["type", "device", "o", "size"];

    /// <summary>Checks option keys; returns null when the volume is a plain directory (no type and no device).</summary>
    public static VolumeMountOptions? Parse(IReadOnlyDictionary<string, string> options)
    {
        foreach (var key in options.Keys)
        {
            if (!ValidKeys.Contains(key)) throw new InvalidArgumentException($"invalid option key: \"{key}\"");
        }
        options.TryGetValue("type", out var type);
        options.TryGetValue("device", out var device);
        options.TryGetValue("o", out var o);
        if (options.ContainsKey("size")) throw new InvalidArgumentException("quota size requested but no quota support");
        if (string.IsNullOrEmpty(type) && string.IsNullOrEmpty(device))
        {
            if (!string.IsNullOrEmpty(o)) throw new InvalidArgumentException("missing required option: \"device\"");
            return null;
        }
        if (string.IsNullOrEmpty(device)) throw new InvalidArgumentException("missing required option: \"device\"");
        if (string.IsNullOrEmpty(type) && string.IsNullOrEmpty(o)) throw new InvalidArgumentException("missing required option: \"type\"");
        ulong flags = 0;
        var data = new List<string>();
        foreach (var word in (o ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (FlagWords.TryGetValue(word, out var f)) flags = (flags | f.Set) & ~f.Clear;
            else data.Add(word);
        }
        var fsType = type is null or "none" ? null : type;
        if (fsType is null && (flags & MS_BIND) == 0) throw new InvalidArgumentException("type=none needs o=bind");
        return new VolumeMountOptions(fsType ?? "none", device, flags, data.Count > 0 ? string.Join(',', data) : null);
    }
}

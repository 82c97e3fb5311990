using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Berth.Core.Errors;
using static Berth.Storage.Interop.Libc;

namespace Berth.Storage.Volumes;

/// <summary>
/// The local driver's <c>-o type=… -o device=… -o o=…</c> options turned into one mount(2) call, as Docker makes it
/// (moby volume/local, moby/sys/mount): known flag words become MS_* flags, everything else is file-system data
/// (<c>size=64m</c>, <c>addr=…</c>), and the type is passed as given (<c>none</c> for a bind).
/// </summary>
internal sealed record VolumeMountOptions(string Type, string Device, ulong Flags, string? Data)
{
    private const ulong MS_MANDLOCK = 0x40;
    private const ulong MS_DIRSYNC = 0x80;

    private static readonly Dictionary<string, (ulong Set, ulong Clear)> FlagWords = new(StringComparer.Ordinal)
    {
        ["defaults"] = (0, 0),
        ["ro"] = (MS_RDONLY, 0),
        ["rw"] = (0, MS_RDONLY),
        ["suid"] = (0, MS_NOSUID),
        ["nosuid"] = (MS_NOSUID, 0),
        ["dev"] = (0, MS_NODEV),
        ["nodev"] = (MS_NODEV, 0),
        ["exec"] = (0, MS_NOEXEC),
        ["noexec"] = (MS_NOEXEC, 0),
        ["sync"] = (MS_SYNCHRONOUS, 0),
        ["async"] = (0, MS_SYNCHRONOUS),
        ["dirsync"] = (MS_DIRSYNC, 0),
        ["mand"] = (MS_MANDLOCK, 0),
        ["nomand"] = (0, MS_MANDLOCK),
        ["atime"] = (0, MS_NOATIME),
        ["noatime"] = (MS_NOATIME, 0),
        ["diratime"] = (0, MS_NODIRATIME),
        ["nodiratime"] = (MS_NODIRATIME, 0),
        ["bind"] = (MS_BIND, 0),
        ["rbind"] = (MS_BIND | MS_REC, 0),
        ["relatime"] = (MS_RELATIME, 0),
        ["norelatime"] = (0, MS_RELATIME),
        ["strictatime"] = (MS_STRICTATIME, 0),
        ["nostrictatime"] = (0, MS_STRICTATIME),
    };

    /// <summary>The option keys Docker's local driver accepts.</summary>
    public static readonly string[] ValidKeys = ["type", "device", "o", "size"];

    /// <summary>Which options each option needs (moby's mandatoryOpts), checked in this order.</summary>
    private static readonly (string Key, string[] Needs)[] Mandatory = [("device", ["type"]), ("type", ["device"]), ("o", ["device", "type"])];

    /// <summary>Checks the options as <c>docker volume create</c> does; null when the volume is a plain directory (no type, no device).</summary>
    public static VolumeMountOptions? Parse(IReadOnlyDictionary<string, string> options)
    {
        foreach (var key in options.Keys)
        {
            if (!ValidKeys.Contains(key)) throw new InvalidArgumentException($"invalid option: \"{key}\"");
        }
        if (options.TryGetValue("size", out var size) && ParseSize(size) > 0)
            throw new InvalidArgumentException("quota size requested but no quota support");
        foreach (var (key, needs) in Mandatory)
        {
            if (!options.ContainsKey(key)) continue;
            foreach (var need in needs)
            {
                if (!options.ContainsKey(need)) throw new InvalidArgumentException($"missing required option: \"{need}\"");
            }
        }
        options.TryGetValue("type", out var type);
        options.TryGetValue("device", out var device);
        if (string.IsNullOrEmpty(type) && string.IsNullOrEmpty(device)) return null;
        var (flags, data) = SplitOptions(options.GetValueOrDefault("o") ?? "");
        return new VolumeMountOptions(type ?? "", device ?? "", flags, data);
    }

    /// <summary>moby/sys/mount parseOptions: flag words become MS_* bits (later words win), the rest stays file-system data in order.</summary>
    public static (ulong Flags, string? Data) SplitOptions(string o)
    {
        ulong flags = 0;
        var data = new List<string>();
        foreach (var word in o.Split(','))
        {
            if (FlagWords.TryGetValue(word, out var f)) flags = (flags | f.Set) & ~f.Clear;
            else if (word.Length > 0) data.Add(word);
        }
        return (flags, data.Count > 0 ? string.Join(',', data) : null);
    }

    /// <summary>
    /// What mount(2) gets for a network file system (moby getMountOptions): an <c>addr=</c> that is not an IPv4 literal is resolved
    /// (a host name, or an IPv6 address, which resolves to itself), so the kernel, which cannot look names up, gets an address.
    /// </summary>
    public VolumeMountOptions WithResolvedAddress(Func<string, IPAddress> resolve)
    {
        if (Type is not ("nfs" or "cifs") || Data is null) return this;
        var addr = Data.Split(',').FirstOrDefault(w => w.StartsWith("addr=", StringComparison.Ordinal))?["addr=".Length..];
        if (string.IsNullOrEmpty(addr) || (addr.Count(c => c == '.') == 3 && IPAddress.TryParse(addr, out var literal) && literal.AddressFamily == AddressFamily.InterNetwork))
            return this;
        IPAddress resolved;
        try { resolved = resolve(addr); }
        catch (SocketException ex) { throw new EngineException(ErrorKind.Unknown, $"error resolving passed in network volume address: lookup {addr}: {ex.Message}"); }
        var at = Data.IndexOf("addr=" + addr, StringComparison.Ordinal);
        return this with { Data = string.Concat(Data.AsSpan(0, at), "addr=" + resolved, Data.AsSpan(at + 5 + addr.Length)) };
    }

    /// <summary>The system resolver's address for a name, IPv4 first as Go's ResolveIPAddr("ip", …) prefers it for a name.</summary>
    public static IPAddress ResolveHost(string host)
    {
        if (IPAddress.TryParse(host, out var ip)) return ip;
        var all = Dns.GetHostAddresses(host);
        return all.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? all.FirstOrDefault() ??
               throw new SocketException((int)SocketError.HostNotFound);
    }

    /// <summary>docker/go-units RAMInBytes: a number with an optional binary suffix (k, m, g, t, p, with or without b/ib).</summary>
    private static long ParseSize(string value)
    {
        var s = value.Trim().ToLowerInvariant();
        var end = 0;
        while (end < s.Length && (char.IsAsciiDigit(s[end]) || s[end] == '.')) end++;
        var suffix = s[end..].Trim();
        long unit = suffix switch
        {
            "" or "b" => 1,
            "k" or "kb" or "kib" => 1L << 10,
            "m" or "mb" or "mib" => 1L << 20,
            "g" or "gb" or "gib" => 1L << 30,
            "t" or "tb" or "tib" => 1L << 40,
            "p" or "pb" or "pib" => 1L << 50,
            _ => 0,
        };
        if (end == 0 || unit == 0 || !double.TryParse(s[..end], NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
            throw new InvalidArgumentException($"invalid size: '{value}'");
        return (long)(n * unit);
    }

    /// <summary>moby/sys/mount's error text: <c>mount SOURCE:TARGET, flags: 0x…, data: …: reason</c> (flags and data only when set).</summary>
    public string DescribeFailure(string target, int errno)
    {
        var text = $"mount {Device}:{target}";
        if (Flags != 0) text += $", flags: 0x{Flags:x}";
        if (!string.IsNullOrEmpty(Data)) text += ", data: " + Data;
        return text + ": " + GoErrno(errno);
    }

    /// <summary>Go prints an errno as the C library's text starting lower case ("no such file or directory").</summary>
    private static string GoErrno(int errno)
    {
        var text = System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno);
        return text.Length > 0 ? char.ToLowerInvariant(text[0]) + text[1..] : text;
    }
}

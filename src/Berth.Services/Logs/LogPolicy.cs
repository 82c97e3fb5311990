using Berth.Api.Models.Containers;

namespace Berth.Services.Logs;

/// <summary>
/// A container's log limits. Unlike Docker's json-file, rotation is on by default (20 MiB × 5 files), so a chatty
/// container cannot fill the disk; <c>--log-opt max-size=…</c> and <c>max-file=…</c> override it. <c>compress</c>
/// gzips rotated files, as Docker does (off by default for json-file, on for local, as there).
/// </summary>
public sealed record LogPolicy(long MaxSize, int MaxFiles, bool Compress = false)
{
    public const long DefaultMaxSize = 20L * 1024 * 1024;
    public const int DefaultMaxFiles = 5;

    public static LogPolicy Of(HostConfig host)
    {
        var config = host.LogConfig?.Config;
        var size = config is not null && config.TryGetValue("max-size", out var s) && !string.IsNullOrEmpty(s) ? Units.ParseBytes(s) : DefaultMaxSize;
        var files = config is not null && config.TryGetValue("max-file", out var f) && int.TryParse(f, out var n) && n > 0 ? Math.Min(n, 9) : DefaultMaxFiles;
        var compress = config is not null && config.TryGetValue("compress", out var c) && LogDrivers.TryParseBool(c, out var on)
            ? on
            : host.LogConfig?.Type == LogDrivers.Local;
        // Only rotated files are compressed: with a single file there are none.
        return new LogPolicy(size, files, compress && files > 1);
    }
}

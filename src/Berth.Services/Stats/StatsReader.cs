using System.Globalization;
using Berth.Api.Models.Containers;
using Berth.Runtime;

namespace Berth.Services.Stats;

/// <summary>
/// Reads one stats sample for a container from its cgroup (v1: the per-controller hierarchies; v2: one directory)
/// and from /proc, in the Engine API's shape. The host side (system_cpu_usage, online_cpus, machine memory) comes from
/// /proc/stat and /proc/meminfo, as moby reads them, so the docker CLI's CPU % formula works unchanged.
/// </summary>
public sealed class StatsReader(string procRoot = "/proc")
{
    private const ulong NanosPerTick = 10_000_000; // USER_HZ is 100 on Linux

    /// <summary>Fills everything but name/id/read/precpu for a running container whose init has <paramref name="pid"/>.</summary>
    public void Sample(ContainerStats s, string id, int pid)
    {
        var cgroupsPath = CgroupInfo.ContainerCgroupsPath(id);
        if (CgroupInfo.Version == 2)
        {
            if (CgroupInfo.PathFor("memory", cgroupsPath) is { } dir) ReadV2(dir, s);
        }
        else
        {
            ReadV1(controller => CgroupInfo.PathFor(controller, cgroupsPath), s);
        }
        if (TryRead(Path.Combine(procRoot, "stat")) is { } stat)
        {
            var (total, cpus) = ParseProcStat(stat);
            s.CpuStats.SystemCpuUsage = total;
            s.CpuStats.OnlineCpus = cpus;
        }
        var machine = MachineMemory();
        // moby: without a limit the cgroup reports a huge number; the CLI should show the host's memory instead.
        if (machine > 0 && (s.MemoryStats.Limit == 0 || s.MemoryStats.Limit > machine)) s.MemoryStats.Limit = machine;
        if (pid > 0 && TryRead(Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture), "net", "dev")) is { } netDev)
        {
            var nets = ParseNetDev(netDev);
            s.Networks = nets.Count > 0 ? nets : null;
        }
    }

    internal static void ReadV1(Func<string, string?> dirOf, ContainerStats s)
    {
        if (dirOf("cpuacct") is { } cpuacct)
        {
            s.CpuStats.CpuUsage.TotalUsage = ReadULong(Path.Combine(cpuacct, "cpuacct.usage"));
            if (TryRead(Path.Combine(cpuacct, "cpuacct.usage_percpu")) is { } percpu)
                s.CpuStats.CpuUsage.PercpuUsage = [.. percpu.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(ParseULong)];
            if (TryRead(Path.Combine(cpuacct, "cpuacct.stat")) is { } cpuStat)
            {
                var kv = ParseFlatKeyed(cpuStat);
                s.CpuStats.CpuUsage.UsageInUsermode = kv.GetValueOrDefault("user") * NanosPerTick;
                s.CpuStats.CpuUsage.UsageInKernelmode = kv.GetValueOrDefault("system") * NanosPerTick;
            }
        }
        if (dirOf("cpu") is { } cpu && TryRead(Path.Combine(cpu, "cpu.stat")) is { } throttle)
        {
            var kv = ParseFlatKeyed(throttle);
            s.CpuStats.ThrottlingData = new ThrottlingData
            {
                Periods = kv.GetValueOrDefault("nr_periods"),
                ThrottledPeriods = kv.GetValueOrDefault("nr_throttled"),
                ThrottledTime = kv.GetValueOrDefault("throttled_time"),
            };
        }
        if (dirOf("memory") is { } mem && Directory.Exists(mem))
        {
            s.MemoryStats.Usage = ReadULong(Path.Combine(mem, "memory.usage_in_bytes"));
            s.MemoryStats.MaxUsage = ReadULong(Path.Combine(mem, "memory.max_usage_in_bytes"));
            s.MemoryStats.Failcnt = ReadULong(Path.Combine(mem, "memory.failcnt"));
            s.MemoryStats.Limit = ReadULong(Path.Combine(mem, "memory.limit_in_bytes"));
            if (TryRead(Path.Combine(mem, "memory.stat")) is { } memStat) s.MemoryStats.Stats = ParseFlatKeyed(memStat);
        }
        if (dirOf("pids") is { } pids)
        {
            s.PidsStats.Current = ReadULong(Path.Combine(pids, "pids.current"));
            s.PidsStats.Limit = ReadULong(Path.Combine(pids, "pids.max"));
        }
        if (dirOf("blkio") is { } blkio)
        {
            s.BlkioStats.IoServiceBytesRecursive = ParseBlkioV1(TryRead(Path.Combine(blkio, "blkio.throttle.io_service_bytes_recursive")));
            s.BlkioStats.IoServicedRecursive = ParseBlkioV1(TryRead(Path.Combine(blkio, "blkio.throttle.io_serviced_recursive")));
        }
    }

    internal static void ReadV2(string dir, ContainerStats s)
    {
        if (TryRead(Path.Combine(dir, "cpu.stat")) is { } cpuStat)
        {
            var kv = ParseFlatKeyed(cpuStat);
            s.CpuStats.CpuUsage.TotalUsage = kv.GetValueOrDefault("usage_usec") * 1000;
            s.CpuStats.CpuUsage.UsageInUsermode = kv.GetValueOrDefault("user_usec") * 1000;
            s.CpuStats.CpuUsage.UsageInKernelmode = kv.GetValueOrDefault("system_usec") * 1000;
            s.CpuStats.ThrottlingData = new ThrottlingData
            {
                Periods = kv.GetValueOrDefault("nr_periods"),
                ThrottledPeriods = kv.GetValueOrDefault("nr_throttled"),
                ThrottledTime = kv.GetValueOrDefault("throttled_usec") * 1000,
            };
        }
        s.MemoryStats.Usage = ReadULong(Path.Combine(dir, "memory.current"));
        s.MemoryStats.Limit = ReadULong(Path.Combine(dir, "memory.max"));
        if (TryRead(Path.Combine(dir, "memory.stat")) is { } memStat) s.MemoryStats.Stats = ParseFlatKeyed(memStat);
        if (TryRead(Path.Combine(dir, "memory.events")) is { } events) s.MemoryStats.Failcnt = ParseFlatKeyed(events).GetValueOrDefault("max");
        s.PidsStats.Current = ReadULong(Path.Combine(dir, "pids.current"));
        s.PidsStats.Limit = ReadULong(Path.Combine(dir, "pids.max"));
        if (TryRead(Path.Combine(dir, "io.stat")) is { } io)
        {
            var (bytes, ios) = ParseIoStatV2(io);
            s.BlkioStats.IoServiceBytesRecursive = bytes;
            s.BlkioStats.IoServicedRecursive = ios;
        }
    }

    /// <summary>The <c>cpu</c> line of /proc/stat: the first 7 fields in ns (moby's getSystemCPUUsage), and the number of cpuN lines.</summary>
    internal static (ulong Total, uint Cpus) ParseProcStat(string text)
    {
        ulong total = 0;
        uint cpus = 0;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("cpu ", StringComparison.Ordinal))
            {
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                for (var i = 1; i < f.Length && i <= 7; i++) total += ParseULong(f[i]);
            }
            else if (line.StartsWith("cpu", StringComparison.Ordinal) && line.Length > 3 && char.IsDigit(line[3]))
            {
                cpus++;
            }
        }
        return (total * NanosPerTick, cpus);
    }

    /// <summary>/proc/&lt;pid&gt;/net/dev of the container's init: every interface but loopback, as moby reports the endpoints.</summary>
    internal static Dictionary<string, NetworkStats> ParseNetDev(string text)
    {
        var result = new Dictionary<string, NetworkStats>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n').Skip(2))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0) continue;
            var name = line[..colon].Trim();
            if (name == "lo") continue;
            var f = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(ParseULong).ToArray();
            if (f.Length < 12) continue;
            result[name] = new NetworkStats
            {
                RxBytes = f[0],
                RxPackets = f[1],
                RxErrors = f[2],
                RxDropped = f[3],
                TxBytes = f[8],
                TxPackets = f[9],
                TxErrors = f[10],
                TxDropped = f[11],
            };
        }
        return result;
    }

    /// <summary>"key value" lines (memory.stat, cpu.stat, cpuacct.stat…).</summary>
    internal static Dictionary<string, ulong> ParseFlatKeyed(string text)
    {
        var result = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var sp = line.IndexOf(' ', StringComparison.Ordinal);
            if (sp <= 0) continue;
            result[line[..sp]] = ParseULong(line[(sp + 1)..].Trim());
        }
        return result;
    }

    /// <summary>v1 blkio lists: "8:0 Read 4096" lines; the trailing "Total N" line is dropped, as the cgroups library does.</summary>
    internal static List<BlkioEntry>? ParseBlkioV1(string? text)
    {
        if (text is null) return null;
        var result = new List<BlkioEntry>();
        foreach (var line in text.Split('\n'))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length != 3) continue;
            var dev = f[0].Split(':');
            if (dev.Length != 2) continue;
            result.Add(new BlkioEntry { Major = ParseULong(dev[0]), Minor = ParseULong(dev[1]), Op = f[1], Value = ParseULong(f[2]) });
        }
        return result;
    }

    /// <summary>v2 io.stat: "8:0 rbytes=1 wbytes=2 rios=3 wios=4 …" becomes read/write entries (moby's v2 conversion, lower-case ops).</summary>
    internal static (List<BlkioEntry> Bytes, List<BlkioEntry> Ios) ParseIoStatV2(string text)
    {
        var bytes = new List<BlkioEntry>();
        var ios = new List<BlkioEntry>();
        foreach (var line in text.Split('\n'))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 2) continue;
            var dev = f[0].Split(':');
            if (dev.Length != 2) continue;
            var (major, minor) = (ParseULong(dev[0]), ParseULong(dev[1]));
            foreach (var kv in f.Skip(1))
            {
                var eq = kv.IndexOf('=', StringComparison.Ordinal);
                if (eq < 0) continue;
                var value = ParseULong(kv[(eq + 1)..]);
                switch (kv[..eq])
                {
                    case "rbytes": bytes.Add(new BlkioEntry { Major = major, Minor = minor, Op = "read", Value = value }); break;
                    case "wbytes": bytes.Add(new BlkioEntry { Major = major, Minor = minor, Op = "write", Value = value }); break;
                    case "rios": ios.Add(new BlkioEntry { Major = major, Minor = minor, Op = "read", Value = value }); break;
                    case "wios": ios.Add(new BlkioEntry { Major = major, Minor = minor, Op = "write", Value = value }); break;
                }
            }
        }
        return (bytes, ios);
    }

    private ulong MachineMemory()
    {
        if (TryRead(Path.Combine(procRoot, "meminfo")) is not { } meminfo) return 0;
        foreach (var line in meminfo.Split('\n'))
        {
            if (!line.StartsWith("MemTotal:", StringComparison.Ordinal)) continue;
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return f.Length >= 2 ? ParseULong(f[1]) * 1024 : 0;
        }
        return 0;
    }

    private static ulong ReadULong(string path) => TryRead(path) is { } text ? ParseULong(text.Trim()) : 0;

    // "max" (no limit) and anything unparsable count as 0, which the API and the CLI read as "no value".
    private static ulong ParseULong(string s) => ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;

    private static string? TryRead(string path)
    {
        try { return File.ReadAllText(path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
    }
}

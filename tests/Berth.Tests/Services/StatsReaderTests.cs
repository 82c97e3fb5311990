using Berth.Api.Models.Containers;
using Berth.Services.Stats;

namespace Berth.Tests.Services;

public sealed class StatsReaderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "berth-stats-" + Guid.NewGuid().ToString("N")[..8]);

    public StatsReaderTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ParseProcStat_SumsFirstSevenFieldsInNanosAndCountsCpus()
    {
        const string stat = "cpu  100 2 30 400 5 6 7 8 9 10\ncpu0 50 1 15 200 2 3 3 4 4 5\ncpu1 50 1 15 200 3 3 4 4 5 5\nintr 1\n";
        var (total, cpus) = StatsReader.ParseProcStat(stat);
        Assert.Equal((100UL + 2 + 30 + 400 + 5 + 6 + 7) * 10_000_000, total);
        Assert.Equal(2u, cpus);
    }

    [Fact]
    public void ParseNetDev_SkipsLoopback()
    {
        const string dev = """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo:     100       1    0    0    0     0          0         0      100       1    0    0    0     0       0          0
              eth0:    1500      10    1    2    0     0          0         0      700       5    3    4    0     0       0          0
            """;
        var nets = StatsReader.ParseNetDev(dev);
        var eth0 = Assert.Single(nets).Value;
        Assert.Equal((1500UL, 10UL, 1UL, 2UL, 700UL, 5UL, 3UL, 4UL),
            (eth0.RxBytes, eth0.RxPackets, eth0.RxErrors, eth0.RxDropped, eth0.TxBytes, eth0.TxPackets, eth0.TxErrors, eth0.TxDropped));
    }

    [Fact]
    public void ReadV1_ReadsControllerFiles()
    {
        Write("cpuacct/cpuacct.usage", "123456789\n");
        Write("cpuacct/cpuacct.usage_percpu", "100 200 \n");
        Write("cpuacct/cpuacct.stat", "user 3\nsystem 4\n");
        Write("cpu/cpu.stat", "nr_periods 5\nnr_throttled 1\nthrottled_time 99\n");
        Write("memory/memory.usage_in_bytes", "4096000\n");
        Write("memory/memory.max_usage_in_bytes", "5000000\n");
        Write("memory/memory.limit_in_bytes", "9223372036854771712\n");
        Write("memory/memory.failcnt", "0\n");
        Write("memory/memory.stat", "cache 100\ntotal_inactive_file 2048\n");
        Write("pids/pids.current", "3\n");
        Write("pids/pids.max", "max\n");
        Write("blkio/blkio.throttle.io_service_bytes_recursive", "8:0 Read 4096\n8:0 Write 8192\nTotal 12288\n");
        var s = new ContainerStats();
        StatsReader.ReadV1(c => Path.Combine(_dir, c), s);
        Assert.Equal(123456789UL, s.CpuStats.CpuUsage.TotalUsage);
        Assert.Equal([100UL, 200UL], s.CpuStats.CpuUsage.PercpuUsage);
        Assert.Equal(30_000_000UL, s.CpuStats.CpuUsage.UsageInUsermode);
        Assert.Equal(1UL, s.CpuStats.ThrottlingData.ThrottledPeriods);
        Assert.Equal(4096000UL, s.MemoryStats.Usage);
        Assert.Equal(2048UL, s.MemoryStats.Stats!["total_inactive_file"]);
        Assert.Equal(3UL, s.PidsStats.Current);
        Assert.Equal(0UL, s.PidsStats.Limit);
        Assert.Equal(["Read", "Write"], s.BlkioStats.IoServiceBytesRecursive!.Select(e => e.Op));
    }

    [Fact]
    public void ReadV2_ConvertsMicrosecondsAndIoStat()
    {
        Write("cpu.stat", "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\n");
        Write("memory.current", "8192\n");
        Write("memory.max", "max\n");
        Write("memory.stat", "anon 4096\ninactive_file 1024\n");
        Write("pids.current", "2\n");
        Write("pids.max", "100\n");
        Write("io.stat", "8:0 rbytes=10 wbytes=20 rios=1 wios=2 dbytes=0 dios=0\n");
        var s = new ContainerStats();
        StatsReader.ReadV2(_dir, s);
        Assert.Equal(1_500_000UL, s.CpuStats.CpuUsage.TotalUsage);
        Assert.Equal(8192UL, s.MemoryStats.Usage);
        Assert.Equal(0UL, s.MemoryStats.Limit);
        Assert.Equal(100UL, s.PidsStats.Limit);
        Assert.Equal([("read", 10UL), ("write", 20UL)], s.BlkioStats.IoServiceBytesRecursive!.Select(e => (e.Op, e.Value)));
    }

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}

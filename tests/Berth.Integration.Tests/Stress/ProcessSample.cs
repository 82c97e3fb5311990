using System.Globalization;

namespace Berth.Integration.Tests.Stress;

/// <summary>One look at a process through /proc: open fds, threads and resident memory.</summary>
internal sealed record ProcessSample(int Fds, int Threads, long RssKiB)
{
    public static ProcessSample Take(int pid)
    {
        var fds = Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;
        int threads = 0;
        long rss = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("Threads:", StringComparison.Ordinal)) threads = int.Parse(line[8..].Trim(), CultureInfo.InvariantCulture);
            else if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        return new ProcessSample(fds, threads, rss);
    }

    /// <summary>The fd targets, grouped and counted (socket:[…] and pipe:[…] collapse by kind), for a leak's message.</summary>
    public static string DescribeFds(int pid)
    {
        var kinds = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
        {
            string target;
            try { target = new FileInfo(fd).LinkTarget ?? "?"; }
            catch (IOException) { continue; }
            var bracket = target.IndexOf(":[", StringComparison.Ordinal);
            var key = bracket > 0 ? target[..bracket] : target;
            kinds[key] = kinds.GetValueOrDefault(key) + 1;
        }
        return string.Join(", ", kinds.OrderByDescending(k => k.Value).Take(15).Select(k => $"{k.Key} x{k.Value}"));
    }

    public override string ToString() => $"fds={Fds} threads={Threads} rss={RssKiB / 1024.0:0.0} MiB";
}

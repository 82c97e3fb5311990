using System.Collections.Concurrent;
using System.Text;

namespace Berth.Integration.Tests.Stress;

/// <summary>Latencies and failures per call type, from many threads; prints p50/p95/p99 per type.</summary>
internal sealed class LatencyRecorder
{
    private readonly ConcurrentDictionary<string, ConcurrentBag<double>> _latencies = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _errors = new();

    public IReadOnlyCollection<string> Errors => _errors;

    public int Count => _latencies.Values.Sum(b => b.Count);

    public void Add(string kind, TimeSpan elapsed) => _latencies.GetOrAdd(kind, _ => []).Add(elapsed.TotalMilliseconds);

    public void Fail(string kind, string error) => _errors.Enqueue($"{kind}: {error}");

    public double Max(string kind) => _latencies.TryGetValue(kind, out var b) && !b.IsEmpty ? b.Max() : 0;

    public string Report()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"{"call",-8} {"count",6} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8}");
        foreach (var (kind, bag) in _latencies.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            var sorted = bag.Order().ToArray();
            sb.AppendLine($"{kind,-8} {sorted.Length,6} {P(sorted, 50),8:0.0} {P(sorted, 95),8:0.0} {P(sorted, 99),8:0.0} {sorted[^1],8:0.0}");
        }
        return sb.ToString();
    }

    /// <summary>Nearest-rank percentile.</summary>
    private static double P(double[] sorted, int percentile) =>
        sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];
}

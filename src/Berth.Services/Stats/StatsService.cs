using Berth.Api.Models.Containers;
using Berth.Services.Containers;

namespace Berth.Services.Stats;

/// <summary>
/// <c>GET /containers/{id}/stats</c>: a sample per second while streaming; with <c>stream=0</c> two samples so
/// precpu_stats is filled (the CLI's CPU % needs both), with <c>one-shot=1</c> a single one. A stopped container gets
/// one empty object (name and id only) when not streaming, as moby answers.
/// </summary>
public sealed class StatsService(ContainerService containers, StatsReader? reader = null, TimeProvider? time = null)
{
    private static readonly TimeSpan StreamInterval = TimeSpan.FromSeconds(1);
    // Long enough for CPU deltas to mean something, short enough that `docker stats --no-stream` stays quick.
    private static readonly TimeSpan NoStreamGap = TimeSpan.FromMilliseconds(500);
    private readonly StatsReader _reader = reader ?? new StatsReader();
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Resolves the container first (so a 404 comes before any byte), then writes samples until done or canceled.</summary>
    public Container Resolve(string idOrName) => containers.Get(idOrName);

    public async Task WriteAsync(Container c, bool stream, bool oneShot, Func<ContainerStats, CancellationToken, Task> write, CancellationToken ct)
    {
        if (!stream)
        {
            if (!IsSampling(c))
            {
                await write(new ContainerStats { Name = c.Doc.Name, Id = c.Id }, ct);
                return;
            }
            var first = Take(c, null);
            if (!oneShot)
            {
                await Task.Delay(NoStreamGap, _time, ct);
                if (IsSampling(c)) first = Take(c, first);
            }
            await write(first, ct);
            return;
        }

        ContainerStats? previous = null;
        using var timer = new PeriodicTimer(StreamInterval, _time);
        do
        {
            if (!containers.All.Contains(c)) return; // removed
            if (!IsSampling(c))
            {
                previous = null;
                continue;
            }
            var sample = Take(c, previous);
            await write(sample, ct);
            previous = sample;
        }
        while (await timer.WaitForNextTickAsync(ct));
    }

    private static bool IsSampling(Container c) => c.Doc.State is { Running: true, Restarting: false } && c.Doc.State.Pid > 0;

    private ContainerStats Take(Container c, ContainerStats? previous)
    {
        var s = new ContainerStats { Name = c.Doc.Name, Id = c.Id, Read = Timestamps.Format(_time.GetUtcNow()) };
        _reader.Sample(s, c.Id, c.Doc.State.Pid);
        if (previous is not null)
        {
            s.PreRead = previous.Read;
            s.PreCpuStats = previous.CpuStats;
        }
        return s;
    }
}

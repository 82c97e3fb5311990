using Berth.Core.Errors;

namespace Berth.Services.Containers;

/// <summary>What <c>io.berth.health-on-failure</c> does to a container that turned unhealthy (Podman's --health-on-failure).</summary>
public sealed partial class ContainerService
{
    internal async Task OnUnhealthyAsync(Container c, string action, CancellationToken ct)
    {
        if (!c.Doc.State.Running || c.Doc.State.Restarting) return;
        switch (action)
        {
            case "kill":
                // Not a user's kill: the restart policy still decides what happens after the exit.
                await SendSignalAsync(c, Signals.Kill);
                await Task.WhenAny(c.NextExit, Task.Delay(TimeSpan.FromSeconds(10), ct));
                break;
            case "stop":
                await StopAsync(c.Id, null, null, ct);
                break;
            case "restart":
                Restarts.Cancel(c.Id);
                await StopCoreAsync(c, Signals.Parse(c.Doc.Config.StopSignal, Signals.Term), c.Doc.Config.StopTimeout ?? 10);
                await c.Lock.WaitAsync(ct);
                try
                {
                    if (c.Doc.State.Running || !_byId.ContainsKey(c.Id)) return;
                    Restarts.Reset(c.Id);
                    c.Doc.RestartCount++;
                    await StartLockedAsync(c, ct);
                }
                finally
                {
                    c.Lock.Release();
                }
                _events.Publish("container", "restart", c.Id, Attributes(c));
                break;
            default:
                throw new InvalidArgumentException($"invalid {Healthchecks.HealthMonitor.OnFailureLabel} action \"{action}\": none, kill, restart or stop");
        }
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Compose;

/// <summary>
/// <c>stop</c>/<c>down</c> stop independent services concurrently and a dependency only after its dependents, and
/// <c>up --build</c> builds services concurrently, as Docker Compose v2 does. Each concurrency check is a rendezvous a
/// serial implementation cannot complete (it then fails on a bound, not on a measured duration).
/// </summary>
[Collection(DaemonCollection.Name)]
public sealed class ComposeParallelStopBuildTests(DaemonFixture daemon)
{
    // "a" and "b" are independent: each, on SIGTERM, announces itself and exits 0 only once the other got SIGTERM too.
    // Stopped one after the other, the first waits out its grace period and dies by SIGKILL (137).
    // "web" depends on "db": web's handler marks its exit at its very end; db records whether that mark was there when
    // db was signalled, which holds only when db's stop began after web had stopped.
    private const string StopProject = """
        services:
          a:
            image: busybox:latest
            stop_grace_period: 15s
            volumes: [./s:/s]
            command: ["sh", "-c", "trap 'touch /s/a-term; while [ ! -e /s/b-term ]; do sleep 0.1; done; touch /s/a-done; exit 0' TERM; while :; do sleep 3600 & wait $$!; done"]
          b:
            image: busybox:latest
            stop_grace_period: 15s
            volumes: [./s:/s]
            command: ["sh", "-c", "trap 'touch /s/b-term; while [ ! -e /s/a-term ]; do sleep 0.1; done; touch /s/b-done; exit 0' TERM; while :; do sleep 3600 & wait $$!; done"]
          web:
            image: busybox:latest
            depends_on: [db]
            volumes: [./s:/s]
            command: ["sh", "-c", "trap 'sleep 1; touch /s/web-term; exit 0' TERM; while :; do sleep 3600 & wait $$!; done"]
          db:
            image: busybox:latest
            volumes: [./s:/s]
            command: ["sh", "-c", "trap 'if [ -e /s/web-term ]; then echo ok > /s/db-result; else echo early > /s/db-result; fi; exit 0' TERM; while :; do sleep 3600 & wait $$!; done"]
        """;

    [RootFact(E2E.Docker)]
    public async Task StopAndDown_StopIndependentServicesTogether_AndDependentsBeforeTheirDependencies()
    {
        await using var p = new ComposeDir(daemon, "pstop");
        p.Write("compose.yaml", StopProject);
        Directory.CreateDirectory(Path.Combine(p.Dir, "s"));
        (await p.ComposeAsync("up", "-d")).Ok("up");
        // config --hash prints what the label holds, as docker compose's does.
        var label = (await p.DockerAsync("inspect", "-f", "{{index .Config.Labels \"com.docker.compose.config-hash\"}}", $"{p.Project}-web-1")).Ok("inspect").Stdout.Trim();
        Assert.Equal($"web {label}", (await p.ComposeAsync("config", "--hash", "web")).Ok("config --hash").Stdout.Trim());
        (await p.ComposeAsync("stop")).Ok("stop");
        await AssertStoppedTogetherAndInOrderAsync(p);

        foreach (var f in Directory.GetFiles(Path.Combine(p.Dir, "s"))) File.Delete(f);
        (await p.ComposeAsync("start")).Ok("start");
        // down removes the containers, so read what the handlers left: the exit codes go with the containers.
        (await p.ComposeAsync("down")).Ok("down");
        Assert.True(File.Exists(Path.Combine(p.Dir, "s", "a-done")) && File.Exists(Path.Combine(p.Dir, "s", "b-done")), "down stopped a and b together (each finished its handler)");
        Assert.Equal("ok", (await File.ReadAllTextAsync(Path.Combine(p.Dir, "s", "db-result"))).Trim());
    }

    private async Task AssertStoppedTogetherAndInOrderAsync(ComposeDir p)
    {
        foreach (var s in new[] { "a", "b", "web", "db" })
        {
            var state = (await InspectAsync($"{p.Project}-{s}-1")).GetProperty("State");
            Assert.Equal("exited", state.GetProperty("Status").GetString());
            Assert.True(state.GetProperty("ExitCode").GetInt32() == 0, $"{s} exited {state.GetProperty("ExitCode").GetInt32()} (137: killed after its grace period, so not stopped concurrently)");
        }
        Assert.Equal("ok", (await File.ReadAllTextAsync(Path.Combine(p.Dir, "s", "db-result"))).Trim());
        var webFinished = (await InspectAsync($"{p.Project}-web-1")).GetProperty("State").GetProperty("FinishedAt").GetDateTimeOffset();
        var dbFinished = (await InspectAsync($"{p.Project}-db-1")).GetProperty("State").GetProperty("FinishedAt").GetDateTimeOffset();
        Assert.True(webFinished <= dbFinished, $"web finished at {webFinished:O}, after its dependency db at {dbFinished:O}");
    }

    [RootFact(E2E.Docker)]
    public async Task UpBuild_BuildsServicesConcurrently()
    {
        // Both builds' RUN steps call a local gate that answers only once both have called; a serial build would hold the
        // first call until the gate gives up, and that build fails.
        using var gate = new RendezvousGate(2, TimeSpan.FromSeconds(40));
        await using var p = new ComposeDir(daemon, "pbuild");
        foreach (var s in new[] { "one", "two" })
        {
            p.Write($"{s}/Dockerfile", $"FROM busybox:latest\nRUN wget -q -O /gate http://127.0.0.1:{gate.Port}/{p.Project}-{s} && grep -qx open /gate\nCMD [\"sleep\", \"3600\"]\n");
        }
        p.Write("compose.yaml", """
            services:
              one:
                build: {context: ./one, network: host}
              two:
                build: {context: ./two, network: host}
            """);
        var up = await p.ComposeAsync("up", "-d", "--build");
        up.Ok("up --build");
        Assert.Equal(2, gate.Arrived);
        Assert.Equal(2, (await p.ProjectContainersAsync(all: false)).Count);
    }

    private async Task<JsonElement> InspectAsync(string container)
    {
        var r = (await daemon.RunDockerAsync(["inspect", container])).Ok("inspect " + container);
        using var doc = JsonDocument.Parse(r.Stdout);
        return doc.RootElement[0].Clone();
    }

    /// <summary>
    /// An HTTP endpoint on loopback that holds every request until <c>parties</c> requests have arrived, then answers them
    /// all "open"; past the bound it answers the waiting ones "closed".
    /// </summary>
    private sealed class RendezvousGate : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _cts = new();
        private readonly TaskCompletionSource<bool> _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly int _parties;
        private int _arrived;

        public RendezvousGate(int parties, TimeSpan bound)
        {
            _parties = parties;
            _listener.Start();
            _cts.CancelAfter(bound);
            _cts.Token.Register(() => _open.TrySetResult(false));
            _ = AcceptLoopAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Arrived => Volatile.Read(ref _arrived);

        private async Task AcceptLoopAsync()
        {
            try
            {
                while (!_cts.IsCancellationRequested)
                {
                    var client = await _listener.AcceptTcpClientAsync(_cts.Token);
                    _ = ServeAsync(client);
                }
            }
            catch (OperationCanceledException)
            {
                // Bound reached or disposed.
            }
            catch (ObjectDisposedException)
            {
                // Disposed.
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using (client)
            {
                var stream = client.GetStream();
                var buffer = new byte[4096];
                var seen = 0;
                // Read the request head (the body is empty for GET).
                while (seen < buffer.Length)
                {
                    var n = await stream.ReadAsync(buffer.AsMemory(seen));
                    if (n == 0) return;
                    seen += n;
                    if (Encoding.ASCII.GetString(buffer, 0, seen).Contains("\r\n\r\n", StringComparison.Ordinal)) break;
                }
                if (Interlocked.Increment(ref _arrived) >= _parties) _open.TrySetResult(true);
                var body = await _open.Task ? "open\n" : "closed\n";
                var response = $"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(response));
            }
        }

        public void Dispose()
        {
            _cts.Cancel();
            _listener.Stop();
            _cts.Dispose();
        }
    }
}

using System.Text;
using Berth.Cli;
using Berth.Cli.Commands;
using Berth.Tests.Client;

namespace Berth.Tests.Cli.Commands;

public sealed class RunCommandTests
{
    [Fact]
    public async Task Run_ImageMissing_PullsThenFollowsDockerOrder_AndExitsWithStatus()
    {
        var started = new TaskCompletionSource();
        var creates = 0;
        await using var daemon = new FakeDaemon(async (req, s, sock) =>
        {
            var path = req.Target.Split('?')[0];
            if (path.EndsWith("/containers/create", StringComparison.Ordinal))
            {
                var first = Interlocked.Increment(ref creates) == 1;
                await s.WriteAsync(first
                    ? FakeDaemon.Response(404, "Not Found", "application/json", """{"message":"No such image: busybox:latest"}""")
                    : FakeDaemon.Response(201, "Created", "application/json", """{"Id":"c0ffee","Warnings":[]}"""));
            }
            else if (path.EndsWith("/images/create", StringComparison.Ordinal))
            {
                await s.WriteAsync(FakeDaemon.Response(200, "OK", "application/json",
                    "{\"status\":\"Pulling from library/busybox\",\"id\":\"latest\"}\r\n{\"status\":\"Status: Downloaded newer image for busybox:latest\"}\r\n"));
            }
            else if (path.EndsWith("/attach", StringComparison.Ordinal))
            {
                await s.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"));
                await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
                await s.WriteAsync(BerthClientTests.Frame(1, "hi\n"));
                sock.Shutdown(System.Net.Sockets.SocketShutdown.Send);
            }
            else if (path.EndsWith("/wait", StringComparison.Ordinal))
            {
                await s.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"));
                await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
                var body = "{\"StatusCode\":3}\n";
                await s.WriteAsync(Encoding.ASCII.GetBytes($"{body.Length:x}\r\n{body}\r\n0\r\n\r\n"));
            }
            else if (path.EndsWith("/start", StringComparison.Ordinal))
            {
                await s.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"));
                started.TrySetResult();
            }
        });
        var stdout = new MemoryStream();
        var err = new StringWriter();
        using var ctx = new CliContext(daemon.SocketPath, new StringWriter(), err, _ => null) { StdoutStream = stdout, StderrStream = new MemoryStream() };

        var rc = await RunCommand.RunAsync(ctx, ["--rm", "busybox", "echo", "hi"], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(3, rc);
        Assert.Equal("hi\n", Encoding.UTF8.GetString(stdout.ToArray()));
        Assert.Contains("Unable to find image 'busybox:latest' locally", err.ToString(), StringComparison.Ordinal);
        var order = daemon.Requests.Select(r => r.Target.Split('?')[0].Replace("/v1.50", "", StringComparison.Ordinal)).ToList();
        Assert.Equal(["/containers/create", "/images/create", "/containers/create", "/containers/c0ffee/attach", "/containers/c0ffee/wait", "/containers/c0ffee/start"], order);
        Assert.Contains(daemon.Requests, r => r.Target == "/v1.50/containers/c0ffee/wait?condition=removed");
        Assert.Contains(daemon.Requests, r => r.Target == "/v1.50/images/create?fromImage=docker.io%2Flibrary%2Fbusybox&tag=latest");
    }

    [Fact]
    public async Task Run_StartFailsWithMissingExecutable_Exits127()
    {
        await using var daemon = new FakeDaemon(async (req, s, _) =>
        {
            var path = req.Target.Split('?')[0];
            byte[] response = path switch
            {
                _ when path.EndsWith("/containers/create", StringComparison.Ordinal) => FakeDaemon.Response(201, "Created", "application/json", """{"Id":"c1","Warnings":[]}"""),
                _ when path.EndsWith("/wait", StringComparison.Ordinal) => FakeDaemon.Response(200, "OK", "application/json", """{"StatusCode":127}"""),
                _ => FakeDaemon.Response(400, "Bad Request", "application/json", """{"message":"exec: \"nope\": executable file not found in $PATH"}"""),
            };
            await s.WriteAsync(response);
        });
        var err = new StringWriter();
        using var ctx = new CliContext(daemon.SocketPath, new StringWriter(), err, _ => null);

        var rc = await RunCommand.RunAsync(ctx, ["-d", "busybox", "nope"], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(127, rc);
        Assert.StartsWith("berth: Error response from daemon: exec: \"nope\": executable file not found in $PATH", err.ToString(), StringComparison.Ordinal);
    }
}

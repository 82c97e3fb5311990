using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.EndToEnd;

/// <summary>The Python docker SDK, unchanged, against berthd.</summary>
[Collection(DaemonCollection.Name)]
public sealed class DockerPyTests(DaemonFixture daemon)
{
    private const string Client = "import os, time, docker\nc = docker.DockerClient(base_url=os.environ['DOCKER_HOST'], timeout=30)\n";

    [RootFact]
    public async Task ContainersRun_Remove_ReturnsOutput()
    {
        var r = await daemon.RunPythonAsync(Client + """
            out = c.containers.run("busybox", "echo hi", remove=True)
            assert out == b"hi\n", repr(out)
            print("ok")
            """);
        Assert.True(r.ExitCode == 0 && r.Stdout == "ok\n", r.ToString());
    }

    [RootFact]
    public async Task ContainersRun_Detach_LogsThenForceRemove()
    {
        var name = E2E.UniqueName("py");
        try
        {
            var r = await daemon.RunPythonAsync(Client + $$"""
                ct = c.containers.run("busybox", ["sh", "-c", "echo py-log; sleep 1000"], detach=True, name="{{name}}")
                deadline = time.time() + 15
                logs = ct.logs()
                while b"py-log" not in logs and time.time() < deadline:
                    time.sleep(0.1)
                    logs = ct.logs()
                assert logs == b"py-log\n", repr(logs)
                ct.reload()
                assert ct.status == "running", ct.status
                ct.remove(force=True)
                assert ct.id not in [x.id for x in c.containers.list(all=True)]
                print("ok")
                """);
            Assert.True(r.ExitCode == 0 && r.Stdout == "ok\n", r.ToString());
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(name);
        }
    }
}

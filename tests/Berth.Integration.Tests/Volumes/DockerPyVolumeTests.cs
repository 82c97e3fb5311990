using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Volumes;

/// <summary>docker-py's volume and archive calls against berthd.</summary>
[Collection(DaemonCollection.Name)]
public sealed class DockerPyVolumeTests(DaemonFixture daemon)
{
    [RootFact]
    public async Task VolumesAndArchive_ThroughDockerPy()
    {
        var (vol, name) = (E2E.UniqueName("pyv"), E2E.UniqueName("pyc"));
        try
        {
            var r = await daemon.RunPythonAsync($$$"""
                import docker, io, tarfile
                c = docker.from_env(timeout=60)
                v = c.volumes.create(name="{{{vol}}}", labels={"app": "py"})
                assert v.name == "{{{vol}}}", v.attrs
                assert [x.name for x in c.volumes.list(filters={"label": "app=py"})] == ["{{{vol}}}"]
                ct = c.containers.run("busybox", "sleep 1000", detach=True, name="{{{name}}}", volumes={"{{{vol}}}": {"bind": "/v", "mode": "rw"}})
                buf = io.BytesIO()
                with tarfile.open(fileobj=buf, mode="w") as t:
                    data = b"from python"
                    info = tarfile.TarInfo("p.txt"); info.size = len(data); info.mode = 0o640
                    t.addfile(info, io.BytesIO(data))
                assert ct.put_archive("/v", buf.getvalue()) is True
                stream, stat = ct.get_archive("/v/p.txt")
                assert stat["name"] == "p.txt" and stat["size"] == 11 and stat["mode"] == 0o640, stat
                with tarfile.open(fileobj=io.BytesIO(b"".join(stream))) as t:
                    assert t.extractfile("p.txt").read() == b"from python"
                ct.remove(force=True)
                v.remove()
                print("ok")
                """);
            Assert.True(r.ExitCode == 0 && r.Stdout == "ok\n", r.ToString());
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(name);
            await daemon.RunDockerAsync(["volume", "rm", "-f", vol]);
        }
    }
}

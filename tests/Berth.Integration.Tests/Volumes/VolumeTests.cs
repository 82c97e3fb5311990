using System.Text.Json;
using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Volumes;

/// <summary>Named and anonymous volumes, binds, tmpfs and --volumes-from through the real docker CLI.</summary>
[Collection(DaemonCollection.Name)]
public sealed class VolumeTests(DaemonFixture daemon)
{
    private Task<CommandResult> Docker(params string[] args) => daemon.RunDockerAsync(args, timeout: TimeSpan.FromSeconds(60));

    private async Task RemoveVolumeQuietlyAsync(string name) => await Docker("volume", "rm", "-f", name);

    [RootFact(E2E.Docker)]
    public async Task NamedVolume_DataSurvivesContainerRm_SeenByNextContainer()
    {
        var vol = E2E.UniqueName("vol");
        try
        {
            (await Docker("run", "--rm", "-v", vol + ":/data", "busybox", "sh", "-c", "echo kept > /data/f")).Ok("write");
            var read = (await Docker("run", "--rm", "-v", vol + ":/data", "busybox", "cat", "/data/f")).Ok("read");
            Assert.Equal("kept\n", read.Stdout);
            var ls = (await Docker("volume", "ls", "-q")).Ok("volume ls");
            Assert.Contains(vol, ls.Stdout.Split('\n'));
        }
        finally { await RemoveVolumeQuietlyAsync(vol); }
    }

    [RootFact(E2E.Docker)]
    public async Task NewVolume_OverImagePath_GetsImageContentCopied_UnlessNocopy()
    {
        var (copied, nocopy) = (E2E.UniqueName("cu"), E2E.UniqueName("nc"));
        try
        {
            (await Docker("run", "--rm", "-v", copied + ":/etc", "busybox", "true")).Ok("run with volume over /etc");
            var seen = (await Docker("run", "--rm", "-v", copied + ":/mnt", "busybox", "cat", "/mnt/passwd")).Ok("read copied passwd");
            Assert.StartsWith("root:x:0:0:", seen.Stdout, StringComparison.Ordinal);

            (await Docker("run", "--rm", "-v", nocopy + ":/etc:nocopy", "busybox", "true")).Ok("run with nocopy");
            var empty = (await Docker("run", "--rm", "-v", nocopy + ":/mnt", "busybox", "ls", "-A", "/mnt")).Ok("list nocopy volume");
            Assert.Equal("", empty.Stdout);
        }
        finally
        {
            await RemoveVolumeQuietlyAsync(copied);
            await RemoveVolumeQuietlyAsync(nocopy);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task ReadOnlyMounts_RefuseWrites()
    {
        var vol = E2E.UniqueName("ro");
        var bindDir = Directory.CreateTempSubdirectory("berth-it-bind-").FullName;
        try
        {
            var ro = await Docker("run", "--rm", "-v", vol + ":/data:ro", "busybox", "touch", "/data/x");
            Assert.NotEqual(0, ro.ExitCode);
            Assert.Contains("Read-only file system", ro.Stderr, StringComparison.Ordinal);
            var mountRo = await Docker("run", "--rm", "--mount", $"type=bind,source={bindDir},target=/b,readonly", "busybox", "touch", "/b/x");
            Assert.NotEqual(0, mountRo.ExitCode);
            Assert.False(File.Exists(Path.Combine(bindDir, "x")));
            var rootRo = await Docker("run", "--rm", "--read-only", "busybox", "touch", "/x");
            Assert.NotEqual(0, rootRo.ExitCode);
            Assert.Contains("Read-only file system", rootRo.Stderr, StringComparison.Ordinal);
            // A writable volume under a read-only root still takes writes.
            (await Docker("run", "--rm", "--read-only", "-v", vol + ":/data", "busybox", "touch", "/data/ok")).Ok("write to rw volume under --read-only");
        }
        finally
        {
            await RemoveVolumeQuietlyAsync(vol);
            Directory.Delete(bindDir, recursive: true);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task BindMount_SeesAndWritesHostDirectory()
    {
        var bindDir = Directory.CreateTempSubdirectory("berth-it-bind-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(bindDir, "in"), "from host");
            var r = (await Docker("run", "--rm", "-v", bindDir + ":/b", "busybox", "sh", "-c", "cat /b/in; echo back > /b/out")).Ok("run with bind");
            Assert.Equal("from host", r.Stdout);
            Assert.Equal("back\n", await File.ReadAllTextAsync(Path.Combine(bindDir, "out")));
        }
        finally { Directory.Delete(bindDir, recursive: true); }
    }

    [RootFact(E2E.Docker)]
    public async Task Tmpfs_ContentGoneAfterStop()
    {
        var name = E2E.UniqueName("tmpfs");
        try
        {
            (await Docker("run", "-d", "--name", name, "--tmpfs", "/t:size=1m", "--mount", "type=tmpfs,target=/m,tmpfs-size=1048576",
                "busybox", "sleep", "1000")).Ok("run -d");
            (await Docker("exec", name, "sh", "-c", "echo x > /t/f; echo y > /m/f")).Ok("exec write");
            var during = (await Docker("exec", name, "cat", "/t/f", "/m/f")).Ok("exec cat");
            Assert.Equal("x\ny\n", during.Stdout);
            (await Docker("stop", "-t", "0", name)).Ok("stop");
            (await Docker("start", name)).Ok("start");
            var after = (await Docker("exec", name, "ls", "-A", "/t", "/m")).Ok("exec after restart");
            Assert.DoesNotContain("f", after.Stdout.Replace("/t:", "", StringComparison.Ordinal).Replace("/m:", "", StringComparison.Ordinal), StringComparison.Ordinal);
        }
        finally { await daemon.RemoveQuietlyAsync(name); }
    }

    [RootFact(E2E.Docker)]
    public async Task TmpfsVolume_ContentGoneWhenLastUserStops()
    {
        var vol = E2E.UniqueName("tv");
        try
        {
            (await Docker("volume", "create", "-o", "type=tmpfs", "-o", "device=tmpfs", "-o", "o=size=1m", vol)).Ok("create tmpfs volume");
            var first = (await Docker("run", "--rm", "-v", vol + ":/t", "busybox", "sh", "-c", "echo a > /t/a; df /t | tail -1")).Ok("first run");
            Assert.StartsWith("tmpfs", first.Stdout, StringComparison.Ordinal);
            var second = (await Docker("run", "--rm", "-v", vol + ":/t", "busybox", "ls", "-A", "/t")).Ok("second run");
            Assert.Equal("", second.Stdout);
        }
        finally { await RemoveVolumeQuietlyAsync(vol); }
    }

    [RootFact(E2E.Docker)]
    public async Task VolumesFrom_SharesVolumesAndBinds_RoModeRefusesWrites()
    {
        var (src, vol) = (E2E.UniqueName("src"), E2E.UniqueName("vf"));
        try
        {
            (await Docker("create", "--name", src, "-v", vol + ":/shared", "-v", "/anon", "busybox", "true")).Ok("create source");
            (await Docker("run", "--rm", "--volumes-from", src, "busybox", "sh", "-c", "echo s > /shared/f; echo a > /anon/f")).Ok("write via volumes-from");
            var read = (await Docker("run", "--rm", "--volumes-from", src + ":ro", "busybox", "cat", "/shared/f", "/anon/f")).Ok("read via volumes-from:ro");
            Assert.Equal("s\na\n", read.Stdout);
            var write = await Docker("run", "--rm", "--volumes-from", src + ":ro", "busybox", "touch", "/shared/g");
            Assert.NotEqual(0, write.ExitCode);
        }
        finally
        {
            await Docker("rm", "-f", "-v", src);
            await RemoveVolumeQuietlyAsync(vol);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task VolumeCommands_CreateLabelsFiltersInspectRmAndPrune()
    {
        var (vol, user) = (E2E.UniqueName("lv"), E2E.UniqueName("user"));
        try
        {
            (await Docker("volume", "create", "--label", "team=db", vol)).Ok("create");
            (await Docker("volume", "create", vol)).Ok("create again is no error");
            var byLabel = (await Docker("volume", "ls", "-q", "--filter", "label=team=db")).Ok("ls label filter");
            Assert.Equal(vol + "\n", byLabel.Stdout);
            using (var doc = JsonDocument.Parse((await Docker("volume", "inspect", vol)).Ok("inspect").Stdout))
            {
                var v = doc.RootElement[0];
                Assert.Equal(vol, v.GetProperty("Name").GetString());
                Assert.Equal("local", v.GetProperty("Driver").GetString());
                Assert.Equal("local", v.GetProperty("Scope").GetString());
                Assert.Equal("db", v.GetProperty("Labels").GetProperty("team").GetString());
                Assert.EndsWith($"/volumes/{vol}/_data", v.GetProperty("Mountpoint").GetString(), StringComparison.Ordinal);
                Assert.True(DateTimeOffset.TryParse(v.GetProperty("CreatedAt").GetString(), out _));
            }

            (await Docker("run", "-d", "--name", user, "-v", vol + ":/d", "busybox", "sleep", "1000")).Ok("run user");
            var dangling = (await Docker("volume", "ls", "-q", "--filter", "dangling=true")).Ok("ls dangling");
            Assert.DoesNotContain(vol, dangling.Stdout.Split('\n'));
            var inUse = await Docker("volume", "rm", vol);
            Assert.NotEqual(0, inUse.ExitCode);
            Assert.Contains($"remove {vol}: volume is in use", inUse.Stderr, StringComparison.Ordinal);

            (await Docker("rm", "-f", user)).Ok("rm user");
            var prune = (await Docker("volume", "prune", "-f")).Ok("prune anonymous only");
            Assert.DoesNotContain(vol, prune.Stdout, StringComparison.Ordinal);
            var pruneAll = (await Docker("volume", "prune", "-a", "-f", "--filter", "label=team=db")).Ok("prune -a");
            Assert.Contains(vol, pruneAll.Stdout, StringComparison.Ordinal);
            var missing = await Docker("volume", "inspect", vol);
            Assert.NotEqual(0, missing.ExitCode);
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(user);
            await RemoveVolumeQuietlyAsync(vol);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task RunRm_RemovesAnonymousVolumes_KeepsNamedOnes()
    {
        var vol = E2E.UniqueName("keep");
        try
        {
            var before = (await Docker("volume", "ls", "-q")).Ok("ls before").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
            (await Docker("run", "--rm", "-v", "/anon", "-v", vol + ":/named", "busybox", "touch", "/anon/x", "/named/x")).Ok("run --rm");
            var after = (await Docker("volume", "ls", "-q")).Ok("ls after").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
            after.ExceptWith(before);
            Assert.Equal([vol], after);

            var name = E2E.UniqueName("anon");
            (await Docker("run", "--name", name, "-v", "/anon", "busybox", "true")).Ok("run without --rm");
            var anon = (await Docker("inspect", "-f", "{{range .Mounts}}{{.Name}}{{end}}", name)).Ok("inspect").Stdout.Trim();
            (await Docker("rm", "-v", name)).Ok("rm -v");
            Assert.NotEqual(0, (await Docker("volume", "inspect", anon)).ExitCode);
        }
        finally { await RemoveVolumeQuietlyAsync(vol); }
    }

    [RootFact(E2E.Docker)]
    public async Task Inspect_ListsMountsAsDockerDoes()
    {
        var (name, vol) = (E2E.UniqueName("mnt"), E2E.UniqueName("mv"));
        var bindDir = Directory.CreateTempSubdirectory("berth-it-bind-").FullName;
        try
        {
            (await Docker("create", "--name", name, "-v", vol + ":/v", "-v", bindDir + ":/b:ro", "busybox", "true")).Ok("create");
            using var doc = JsonDocument.Parse((await Docker("inspect", "-f", "{{json .Mounts}}", name)).Ok("inspect").Stdout);
            var mounts = doc.RootElement.EnumerateArray().ToDictionary(m => m.GetProperty("Destination").GetString()!);
            var v = mounts["/v"];
            Assert.Equal("volume", v.GetProperty("Type").GetString());
            Assert.Equal(vol, v.GetProperty("Name").GetString());
            Assert.Equal("local", v.GetProperty("Driver").GetString());
            Assert.Equal("z", v.GetProperty("Mode").GetString());
            Assert.True(v.GetProperty("RW").GetBoolean());
            var b = mounts["/b"];
            Assert.Equal("bind", b.GetProperty("Type").GetString());
            Assert.Equal(bindDir, b.GetProperty("Source").GetString());
            Assert.False(b.GetProperty("RW").GetBoolean());
            Assert.Equal("rprivate", b.GetProperty("Propagation").GetString());
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(name);
            await RemoveVolumeQuietlyAsync(vol);
            Directory.Delete(bindDir, recursive: true);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task BackupAndRestore_SeedPattern()
    {
        var (vol, restored) = (E2E.UniqueName("pg"), E2E.UniqueName("rs"));
        var work = Directory.CreateTempSubdirectory("berth-it-backup-").FullName;
        try
        {
            (await Docker("run", "--rm", "-v", vol + ":/data", "busybox", "sh", "-c", "mkdir -p /data/db && echo row1 > /data/db/t && chmod 600 /data/db/t")).Ok("seed");
            (await Docker("run", "--rm", "-v", vol + ":/data", "-v", work + ":/backup", "busybox", "tar", "czf", "/backup/x.tar.gz", "/data")).Ok("backup");
            Assert.True(new FileInfo(Path.Combine(work, "x.tar.gz")).Length > 0);
            (await Docker("run", "--rm", "-v", restored + ":/data", "-v", work + ":/backup", "busybox", "sh", "-c", "cd / && tar xzf /backup/x.tar.gz")).Ok("restore");
            var check = (await Docker("run", "--rm", "-v", restored + ":/data", "busybox", "sh", "-c", "cat /data/db/t; stat -c %a /data/db/t")).Ok("check");
            Assert.Equal("row1\n600\n", check.Stdout);
        }
        finally
        {
            await RemoveVolumeQuietlyAsync(vol);
            await RemoveVolumeQuietlyAsync(restored);
            Directory.Delete(work, recursive: true);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task Kill9_VolumesAndDataSurviveRestart()
    {
        var (vol, tv, user) = (E2E.UniqueName("k9"), E2E.UniqueName("k9t"), E2E.UniqueName("k9u"));
        try
        {
            (await Docker("volume", "create", "--label", "k=v", vol)).Ok("create");
            (await Docker("volume", "create", "-o", "type=tmpfs", "-o", "device=tmpfs", tv)).Ok("create tmpfs volume");
            (await Docker("run", "--rm", "-v", vol + ":/d", "busybox", "sh", "-c", "echo durable > /d/f")).Ok("write");
            (await Docker("run", "-d", "--name", user, "-v", tv + ":/t", "busybox", "sh", "-c", "echo live > /t/f; exec sleep 1000")).Ok("run tmpfs user");
            await E2E.EventuallyAsync(() => Docker("exec", user, "cat", "/t/f"), r => r.Stdout == "live\n", TimeSpan.FromSeconds(10), "tmpfs write");

            await daemon.Kill9Async();
            await daemon.RestartAsync();

            var labels = (await Docker("volume", "inspect", "-f", "{{.Labels.k}}", vol)).Ok("inspect after restart");
            Assert.Equal("v\n", labels.Stdout);
            var data = (await Docker("run", "--rm", "-v", vol + ":/d", "busybox", "cat", "/d/f")).Ok("read after restart");
            Assert.Equal("durable\n", data.Stdout);
            // A second user of the tmpfs volume must not unmount it under the first one when it stops.
            (await Docker("run", "--rm", "-v", tv + ":/t", "busybox", "cat", "/t/f")).Ok("second user");
            var still = (await Docker("exec", user, "cat", "/t/f")).Ok("first user after second stopped");
            Assert.Equal("live\n", still.Stdout);
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(user);
            await RemoveVolumeQuietlyAsync(vol);
            await RemoveVolumeQuietlyAsync(tv);
        }
    }
}

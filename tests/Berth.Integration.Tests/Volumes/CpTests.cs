using System.Formats.Tar;
using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Volumes;

/// <summary><c>docker cp</c> both ways on running and stopped containers, Docker's path rules, modes and owners.</summary>
[Collection(DaemonCollection.Name)]
public sealed class CpTests(DaemonFixture daemon)
{
    private Task<CommandResult> Docker(params string[] args) => daemon.RunDockerAsync(args, timeout: TimeSpan.FromSeconds(60));

    [RootFact(E2E.Docker)]
    public async Task Cp_RoundTripsFilesDirectoriesModesAndOwners_RunningContainer()
    {
        var name = E2E.UniqueName("cp");
        var work = Directory.CreateTempSubdirectory("berth-it-cp-").FullName;
        try
        {
            var src = Path.Combine(work, "tree");
            Directory.CreateDirectory(Path.Combine(src, "sub"));
            await File.WriteAllTextAsync(Path.Combine(src, "sub", "script.sh"), "#!/bin/sh\necho hi\n");
            File.SetUnixFileMode(Path.Combine(src, "sub", "script.sh"), (UnixFileMode)0b111_101_000);   // 0750
            await File.WriteAllTextAsync(Path.Combine(src, "owned"), "mine");
            FileOwners.Lchown(Path.Combine(src, "owned"), 1234, 5678);
            File.CreateSymbolicLink(Path.Combine(src, "link"), "sub/script.sh");

            (await Docker("run", "-d", "--name", name, "busybox", "sleep", "1000")).Ok("run -d");
            (await Docker("cp", src, name + ":/dst")).Ok("cp into container (new name)");
            var inside = (await Docker("exec", name, "sh", "-c", "stat -c '%a %u:%g %n' /dst/sub/script.sh /dst/owned; readlink /dst/link; /dst/sub/script.sh")).Ok("stat inside");
            Assert.Equal("750 0:0 /dst/sub/script.sh\n644 1234:5678 /dst/owned\nsub/script.sh\nhi\n",
                inside.Stdout);

            var back = Path.Combine(work, "back");
            (await Docker("cp", "-a", name + ":/dst", back)).Ok("cp out of container");
            Assert.Equal("#!/bin/sh\necho hi\n", await File.ReadAllTextAsync(Path.Combine(back, "sub", "script.sh")));
            Assert.Equal((UnixFileMode)0b111_101_000, File.GetUnixFileMode(Path.Combine(back, "sub", "script.sh")));
            Assert.Equal("sub/script.sh", new FileInfo(Path.Combine(back, "link")).LinkTarget);
            // The docker CLI never chowns what it extracts locally; the archive itself carries the owners.
            using var http = daemon.CreateApiClient();
            var tar = await http.GetByteArrayAsync($"/containers/{name}/archive?path=/dst/owned");
            using var reader = new TarReader(new MemoryStream(tar));
            var entry = reader.GetNextEntry()!;
            Assert.Equal(("owned", 1234, 5678), (entry.Name, entry.Uid, entry.Gid));
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(name);
            Directory.Delete(work, recursive: true);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task Cp_TrailingDotAndDirectoryRules()
    {
        var name = E2E.UniqueName("cpdot");
        var work = Directory.CreateTempSubdirectory("berth-it-cp-").FullName;
        try
        {
            var src = Path.Combine(work, "src");
            Directory.CreateDirectory(src);
            await File.WriteAllTextAsync(Path.Combine(src, "a"), "A");
            (await Docker("run", "-d", "--name", name, "busybox", "sh", "-c", "mkdir /existing; echo old > /file; exec sleep 1000")).Ok("run -d");
            await E2E.EventuallyAsync(() => Docker("exec", name, "cat", "/file"), r => r.ExitCode == 0, TimeSpan.FromSeconds(10), "setup");

            (await Docker("cp", src, name + ":/existing")).Ok("dir into existing dir");
            (await Docker("cp", src + "/.", name + ":/content")).Ok("dir content into new dir");
            (await Docker("cp", Path.Combine(src, "a"), name + ":/file")).Ok("file over file");
            var r = (await Docker("exec", name, "sh", "-c", "cat /existing/src/a /content/a /file")).Ok("check");
            Assert.Equal("AAA", r.Stdout);
            var dirToFile = await Docker("cp", src, name + ":/file");
            Assert.NotEqual(0, dirToFile.ExitCode);

            var outDir = Path.Combine(work, "out");
            Directory.CreateDirectory(outDir);
            (await Docker("cp", name + ":/existing/src/.", outDir)).Ok("container dir content out");
            Assert.Equal("A", await File.ReadAllTextAsync(Path.Combine(outDir, "a")));
            (await Docker("cp", name + ":/file", Path.Combine(work, "renamed"))).Ok("file out under a new name");
            Assert.Equal("A", await File.ReadAllTextAsync(Path.Combine(work, "renamed")));
            var missing = await Docker("cp", name + ":/nope", work);
            Assert.NotEqual(0, missing.ExitCode);
            Assert.Contains("Could not find the file /nope in container", missing.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(name);
            Directory.Delete(work, recursive: true);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task Cp_StoppedContainer_BothWaysIncludingVolumes()
    {
        var (name, vol) = (E2E.UniqueName("cpst"), E2E.UniqueName("cpv"));
        var work = Directory.CreateTempSubdirectory("berth-it-cp-").FullName;
        try
        {
            (await Docker("run", "--name", name, "-v", vol + ":/data", "busybox", "sh", "-c", "echo invol > /data/v; echo inroot > /r")).Ok("run");
            (await Docker("cp", name + ":/data/v", Path.Combine(work, "v"))).Ok("cp from stopped volume");
            (await Docker("cp", name + ":/r", Path.Combine(work, "r"))).Ok("cp from stopped rootfs");
            Assert.Equal("invol\n", await File.ReadAllTextAsync(Path.Combine(work, "v")));
            Assert.Equal("inroot\n", await File.ReadAllTextAsync(Path.Combine(work, "r")));

            await File.WriteAllTextAsync(Path.Combine(work, "new"), "put");
            (await Docker("cp", Path.Combine(work, "new"), name + ":/data/")).Ok("cp into stopped container's volume");
            var r = (await Docker("run", "--rm", "-v", vol + ":/d", "busybox", "cat", "/d/new")).Ok("read volume");
            Assert.Equal("put", r.Stdout);
            // Nothing of the private mount is left in the host's mount table.
            Assert.DoesNotContain(vol, await File.ReadAllTextAsync("/proc/self/mountinfo"), StringComparison.Ordinal);
        }
        finally
        {
            await Docker("rm", "-f", "-v", name);
            await Docker("volume", "rm", "-f", vol);
            Directory.Delete(work, recursive: true);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task Cp_ReadOnlyRootfs_RefusesPut()
    {
        var name = E2E.UniqueName("cpro");
        var work = Directory.CreateTempSubdirectory("berth-it-cp-").FullName;
        try
        {
            (await Docker("create", "--name", name, "--read-only", "busybox", "true")).Ok("create");
            await File.WriteAllTextAsync(Path.Combine(work, "f"), "x");
            var r = await Docker("cp", Path.Combine(work, "f"), name + ":/tmp/");
            Assert.NotEqual(0, r.ExitCode);
            Assert.Contains("read-only", r.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(name);
            Directory.Delete(work, recursive: true);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task BerthCli_VolumeAndCp()
    {
        var (vol, name) = (E2E.UniqueName("bv"), E2E.UniqueName("bc"));
        var work = Directory.CreateTempSubdirectory("berth-it-cp-").FullName;
        try
        {
            (await daemon.RunBerthAsync(["volume", "create", "--label", "a=b", vol])).Ok("berth volume create");
            var ls = (await daemon.RunBerthAsync(["volume", "ls", "--filter", "label=a=b"])).Ok("berth volume ls");
            Assert.Equal($"DRIVER    VOLUME NAME\nlocal     {vol}\n", ls.Stdout);
            (await daemon.RunBerthAsync(["run", "-d", "--name", name, "-v", vol + ":/v", "busybox", "sleep", "1000"])).Ok("berth run -v");
            await File.WriteAllTextAsync(Path.Combine(work, "f"), "berth");
            (await daemon.RunBerthAsync(["cp", Path.Combine(work, "f"), name + ":/v/"])).Ok("berth cp in");
            (await daemon.RunBerthAsync(["cp", name + ":/v/f", Path.Combine(work, "g")])).Ok("berth cp out");
            Assert.Equal("berth", await File.ReadAllTextAsync(Path.Combine(work, "g")));
            (await Docker("exec", name, "chown", "4321:8765", "/v/f")).Ok("chown inside");
            (await daemon.RunBerthAsync(["cp", "-a", name + ":/v/f", Path.Combine(work, "owned")])).Ok("berth cp -a out");
            Assert.Equal((4321, 8765), FileOwners.Owner(Path.Combine(work, "owned")));
            var rm = await daemon.RunBerthAsync(["volume", "rm", vol]);
            Assert.NotEqual(0, rm.ExitCode);
            Assert.Contains("volume is in use", rm.Stderr, StringComparison.Ordinal);
            (await daemon.RunBerthAsync(["rm", "-f", name])).Ok("berth rm");
            (await daemon.RunBerthAsync(["volume", "rm", vol])).Ok("berth volume rm");
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(name);
            await Docker("volume", "rm", "-f", vol);
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Reads a tar's entries (name → content) from a byte array, for the escape tests.</summary>
    internal static Dictionary<string, string> TarEntries(byte[] tar)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        using var reader = new TarReader(new MemoryStream(tar));
        while (reader.GetNextEntry() is { } e)
        {
            using var sr = e.DataStream is null ? null : new StreamReader(e.DataStream);
            result[e.Name] = e.EntryType == TarEntryType.SymbolicLink ? "-> " + e.LinkName : sr?.ReadToEnd() ?? "";
        }
        return result;
    }
}

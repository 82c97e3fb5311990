using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Volumes;

/// <summary>
/// Local volumes made with <c>-o type=… -o device=… -o o=…</c>, through the real docker CLI and <c>berth</c>: a bind-style volume
/// whose data lands in the device directory, a sized tmpfs volume, and an nfs-style one. This kernel has no NFS client or server
/// (CONFIG_NETWORK_FILESYSTEMS is off and modules cannot be loaded), so the nfs case checks the mount call Docker would make and
/// its error, not a served export.
/// </summary>
[Collection(DaemonCollection.Name)]
public sealed class LocalVolumeOptionsTests(DaemonFixture daemon)
{
    private Task<CommandResult> Docker(params string[] args) => daemon.RunDockerAsync(args, timeout: TimeSpan.FromSeconds(60));

    private Task<CommandResult> Berth(params string[] args) => daemon.RunBerthAsync(args, timeout: TimeSpan.FromSeconds(60));

    public static TheoryData<string> Clis => new() { "docker", "berth" };

    private Task<CommandResult> Cli(string cli, params string[] args) => cli == "docker" ? Docker(args) : Berth(args);

    [RootTheory(E2E.Docker)]
    [MemberData(nameof(Clis))]
    public async Task BindVolume_DataLandsInDevice_AndSurvivesVolumeRm(string cli)
    {
        var vol = E2E.UniqueName("bv");
        var device = Directory.CreateTempSubdirectory("berth-it-bindvol-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Join(device, "seed"), "from host\n");
            (await Cli(cli, "volume", "create", "-o", "type=none", "-o", "o=bind", "-o", "device=" + device, vol)).Ok("create bind volume");
            var run = (await Cli(cli, "run", "--rm", "-v", vol + ":/d", "busybox", "sh", "-c", "cat /d/seed; echo written > /d/out")).Ok("run");
            Assert.Equal("from host\n", run.Stdout);
            Assert.Equal("written\n", await File.ReadAllTextAsync(Path.Join(device, "out")));

            // Once the last user is gone the volume is unmounted: its own _data holds nothing, the device keeps everything.
            var mountpoint = (await Cli(cli, "volume", "inspect", "-f", "{{.Mountpoint}}", vol)).Ok("inspect").Stdout.Trim();
            Assert.Empty(Directory.EnumerateFileSystemEntries(mountpoint));
            var options = (await Cli(cli, "volume", "inspect", "-f", "{{.Options.type}} {{.Options.o}} {{.Options.device}}", vol)).Ok("inspect options").Stdout;
            Assert.Equal($"none bind {device}\n", options);
            (await Cli(cli, "volume", "rm", vol)).Ok("rm");
            Assert.Equal("written\n", await File.ReadAllTextAsync(Path.Join(device, "out")));
        }
        finally
        {
            await Docker("volume", "rm", "-f", vol);
            Directory.Delete(device, recursive: true);
        }
    }

    [RootTheory(E2E.Docker)]
    [MemberData(nameof(Clis))]
    public async Task BindVolume_MissingDevice_CreatedButRefusedAtMountWithDockersError(string cli)
    {
        var vol = E2E.UniqueName("bm");
        var missing = Path.Join(Path.GetTempPath(), "berth-it-missing-" + Guid.NewGuid().ToString("N"));
        try
        {
            // Docker checks only the option keys at create; the device is looked at when a container mounts the volume.
            (await Cli(cli, "volume", "create", "-o", "type=none", "-o", "o=bind", "-o", "device=" + missing, vol)).Ok("create");
            var mountpoint = (await Cli(cli, "volume", "inspect", "-f", "{{.Mountpoint}}", vol)).Ok("inspect").Stdout.Trim();
            var run = await Cli(cli, "run", "--rm", "-v", vol + ":/d", "busybox", "true");
            Assert.NotEqual(0, run.ExitCode);
            Assert.Contains($"Error response from daemon: error while mounting volume '{mountpoint}': failed to mount local volume: " +
                            $"mount {missing}:{mountpoint}, flags: 0x1000: no such file or directory", run.Stderr, StringComparison.Ordinal);
            Assert.False(Directory.Exists(missing));
            // Nothing stays mounted or counted: the volume can be removed at once.
            (await Cli(cli, "volume", "rm", vol)).Ok("rm after failed mount");
        }
        finally { await Docker("volume", "rm", "-f", vol); }
    }

    [RootTheory(E2E.Docker)]
    [MemberData(nameof(Clis))]
    public async Task TmpfsVolume_HasTheSizeAndOptionsAsked_AndIsEmptyForTheNextUser(string cli)
    {
        var vol = E2E.UniqueName("tz");
        try
        {
            (await Cli(cli, "volume", "create", "-o", "type=tmpfs", "-o", "device=tmpfs", "-o", "o=size=2m,mode=1770,uid=1000", vol)).Ok("create");
            var first = (await Cli(cli, "run", "--rm", "-v", vol + ":/t", "busybox", "sh", "-c",
                "echo a > /t/a; stat -c '%a %u' /t; df -k /t | tail -1 | awk '{print $1, $2}'; grep \" /t \" /proc/mounts")).Ok("first run");
            var lines = first.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("1770 1000", lines[0]);
            Assert.Equal("tmpfs 2048", lines[1]);
            Assert.StartsWith("tmpfs /t tmpfs rw,", lines[2], StringComparison.Ordinal);
            var second = (await Cli(cli, "run", "--rm", "-v", vol + ":/t", "busybox", "ls", "-A", "/t")).Ok("second run");
            Assert.Equal("", second.Stdout);
        }
        finally { await Docker("volume", "rm", "-f", vol); }
    }

    [RootTheory(E2E.Docker)]
    [MemberData(nameof(Clis))]
    public async Task NfsVolume_MountCallCarriesDockersOptions_ResolvedAddress(string cli)
    {
        var vol = E2E.UniqueName("nfs");
        var export = "/srv/berth-it-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            // "localhost" is resolved by the daemon (the kernel cannot look names up); "rw" is a flag word, so not in the data.
            (await Cli(cli, "volume", "create", "-o", "type=nfs", "-o", "o=addr=localhost,rw,nfsvers=4", "-o", "device=:" + export, vol)).Ok("create");
            var options = (await Cli(cli, "volume", "inspect", "-f", "{{.Options.type}} {{.Options.o}} {{.Options.device}}", vol)).Ok("inspect").Stdout;
            Assert.Equal($"nfs addr=localhost,rw,nfsvers=4 :{export}\n", options);
            var mountpoint = (await Cli(cli, "volume", "inspect", "-f", "{{.Mountpoint}}", vol)).Ok("inspect").Stdout.Trim();
            var run = await Cli(cli, "run", "--rm", "-v", vol + ":/n", "busybox", "true");
            // Nothing serves that export on loopback, whatever the kernel has: the mount must fail, and name the call it made.
            Assert.NotEqual(0, run.ExitCode);
            var expected = $"failed to mount local volume: mount :{export}:{mountpoint}, data: addr=127.0.0.1,nfsvers=4: ";
            Assert.Contains(expected, run.Stderr, StringComparison.Ordinal);
            if (!File.ReadAllText("/proc/filesystems").Contains("\tnfs\n", StringComparison.Ordinal))
                Assert.Contains(expected + "no such device", run.Stderr, StringComparison.Ordinal);
            (await Cli(cli, "volume", "rm", vol)).Ok("rm");
        }
        finally { await Docker("volume", "rm", "-f", vol); }
    }

    [RootFact(E2E.Docker)]
    public async Task Create_BadOptions_RefusedWithDockersWords()
    {
        var vol = E2E.UniqueName("bo");
        var unknown = await Docker("volume", "create", "-o", "colour=red", vol);
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("Error response from daemon: create " + vol + ": invalid option: \"colour\"", unknown.Stderr, StringComparison.Ordinal);
        var noType = await Docker("volume", "create", "-o", "device=/srv", vol);
        Assert.Contains("missing required option: \"type\"", noType.Stderr, StringComparison.Ordinal);
        var noDevice = await Docker("volume", "create", "-o", "o=size=1m", vol);
        Assert.Contains("missing required option: \"device\"", noDevice.Stderr, StringComparison.Ordinal);
        var quota = await Docker("volume", "create", "-o", "size=10m", vol);
        Assert.Contains("quota size requested but no quota support", quota.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(0, (await Docker("volume", "inspect", vol)).ExitCode);
    }

    /// <summary>
    /// The same volume commands against a private real dockerd and berthd give the same answers, word for word once each daemon's
    /// data root is replaced by a placeholder: bad options at create, and the mount(2) failures of a bind volume whose device is
    /// missing, a type=none volume without o=bind, and an nfs volume (host name resolved, flag words out of the data).
    /// </summary>
    [RootFact(E2E.Docker, PrivateDockerd.Binary)]
    public async Task VolumeOptionErrors_WordForWordAsRealDockerd()
    {
        await using var dockerd = await PrivateDockerd.StartWithBusyboxAsync(daemon);
        var missing = "/tmp/berth-it-missing-" + Guid.NewGuid().ToString("N")[..8];
        string[][] cases =
        [
            ["volume", "create", "-o", "colour=red", "VOL"],
            ["volume", "create", "-o", "device=/srv", "VOL"],
            ["volume", "create", "-o", "type=tmpfs", "VOL"],
            ["volume", "create", "-o", "size=10m", "VOL"],
            ["volume", "create", "-o", "type=none", "-o", "o=bind", "-o", "device=" + missing, "VOL"],
            ["run", "--rm", "--network", "none", "-v", "VOL:/d", "busybox", "true"],
            ["volume", "rm", "VOL"],
            ["volume", "create", "-o", "type=none", "-o", "device=/tmp", "VOL"],
            ["run", "--rm", "--network", "none", "-v", "VOL:/d", "busybox", "true"],
            ["volume", "rm", "VOL"],
            ["volume", "create", "-o", "type=nfs", "-o", "o=addr=localhost,rw,nfsvers=4", "-o", "device=:/srv/x", "VOL"],
            ["run", "--rm", "--network", "none", "-v", "VOL:/d", "busybox", "true"],
            ["volume", "rm", "VOL"],
        ];
        var vol = E2E.UniqueName("par");
        try
        {
            foreach (var c in cases)
            {
                var args = c.Select(a => a.Replace("VOL", vol, StringComparison.Ordinal)).ToArray();
                var theirs = await dockerd.DockerAsync(args, TimeSpan.FromSeconds(60));
                var ours = await Docker(args);
                Assert.True(theirs.ExitCode == ours.ExitCode, $"{string.Join(' ', c)}: exit {ours.ExitCode}, dockerd {theirs.ExitCode}\n{ours}\n{theirs}");
                Assert.Equal(Answer(theirs, Path.Join(dockerd.Root, "data")), Answer(ours, daemon.DataRoot));
            }
        }
        finally
        {
            await Docker("volume", "rm", "-f", vol);
            await dockerd.DockerAsync(["volume", "rm", "-f", vol]);
        }
    }

    /// <summary>The daemon's answer: its stdout or its "Error response from daemon" line, with the data root made neutral.</summary>
    private static string Answer(CommandResult r, string dataRoot)
    {
        var line = r.ExitCode == 0 ? r.Stdout : r.Stderr.Split('\n').FirstOrDefault(l => l.Contains("Error response from daemon", StringComparison.Ordinal)) ?? r.Stderr;
        return line.Replace(dataRoot, "DATA", StringComparison.Ordinal).Trim();
    }
}

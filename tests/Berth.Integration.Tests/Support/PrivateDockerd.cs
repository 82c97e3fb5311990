using System.Diagnostics;
using Berth.Integration.Tests.EndToEnd;

namespace Berth.Integration.Tests.Support;

/// <summary>
/// A real dockerd (Debian's docker.io) on its own data root, exec root, socket and cgroup parent, with no bridge and no iptables
/// rules, so it touches nothing another test or engineer uses: the reference for what Docker's classic builder writes.
/// </summary>
internal sealed class PrivateDockerd : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/dockerd";
    private readonly Process _process;

    private PrivateDockerd(Process process, string root)
    {
        _process = process;
        Root = root;
    }

    public string Root { get; }

    public string Host => "unix://" + Path.Join(Root, "d.sock");

    /// <summary>The docker CLI's environment for this daemon, classic builder (as without buildx).</summary>
    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>
    {
        ["DOCKER_HOST"] = Host,
        ["DOCKER_BUILDKIT"] = "0",
        ["DOCKER_CONFIG"] = Path.Join(Root, "cfg"),
    };

    /// <summary>Starts it and loads the test daemon's busybox (Berth's offline one, saved), so FROM busybox means the same image on both.</summary>
    public static async Task<PrivateDockerd> StartWithBusyboxAsync(DaemonFixture berth)
    {
        var dockerd = await StartAsync();
        try
        {
            var busybox = Path.Join(dockerd.Root, "busybox.tar");
            (await berth.RunDockerAsync(["save", "-o", busybox, "busybox"])).Ok("save busybox from berthd");
            (await dockerd.DockerAsync(["load", "-i", busybox], TimeSpan.FromMinutes(2))).Ok("load busybox into dockerd");
            File.Delete(busybox);
            return dockerd;
        }
        catch
        {
            await dockerd.DisposeAsync();
            throw;
        }
    }

    public static async Task<PrivateDockerd> StartAsync()
    {
        // Short: containerd's socket paths under the exec root must fit in sun_path.
        var root = Path.Join("/tmp", "bdk-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Join(root, "cfg"));
        var psi = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[]
                 {
                     "--data-root", Path.Join(root, "data"), "--exec-root", Path.Join(root, "x"), "-H", "unix://" + Path.Join(root, "d.sock"),
                     "--pidfile", Path.Join(root, "d.pid"), "--bridge", "none", "--iptables=false", "--ip6tables=false",
                     "--cgroup-parent", "berth-it-" + Path.GetFileName(root), "--log-level", "error",
                 })
            psi.ArgumentList.Add(a);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + Binary);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var dockerd = new PrivateDockerd(process, root);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var ping = await dockerd.DockerAsync(["version", "-f", "{{.Server.Version}}"]);
            if (ping.ExitCode == 0) return dockerd;
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await dockerd.DisposeAsync();
                throw new InvalidOperationException("private dockerd did not come up: " + ping);
            }
            await Task.Delay(200);
        }
    }

    public Task<CommandResult> DockerAsync(string[] args, TimeSpan? timeout = null) =>
        ProcessRunner.RunAsync(DaemonFixture.DockerCliPath, args, Environment, null, timeout ?? TimeSpan.FromSeconds(30));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // dockerd stops its containerd (and any shim) on SIGTERM; SIGKILL only if it does not within the bound.
            _ = Libc.Kill(_process.Id, Libc.SIGTERM);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try { await _process.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
        }
        _process.Dispose();
        TempRootCleaner.KillProcessesUnder(Root);
        var stillMounted = TempRootCleaner.UnmountAllUnder(Root);
        if (stillMounted.Count == 0 && Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
        var cgroup = Path.Join("/sys/fs/cgroup", "berth-it-" + Path.GetFileName(Root));
        if (Directory.Exists(cgroup))
        {
            try { Directory.Delete(cgroup); }
            catch (IOException) { }   // still has a process: the machine's next cleanup sweeps it
        }
    }
}

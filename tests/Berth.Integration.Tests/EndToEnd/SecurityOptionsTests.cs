using System.Diagnostics;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.EndToEnd;

/// <summary>Security and process options end to end through the docker CLI, checked from inside the container.</summary>
[Collection(DaemonCollection.Name)]
public sealed class SecurityOptionsTests(DaemonFixture daemon)
{
    private Task<CommandResult> RunAsync(params string[] args) => daemon.RunDockerAsync(["run", "--rm", .. args], timeout: TimeSpan.FromSeconds(60));

    [RootFact(E2E.Docker)]
    public async Task NonRootUser_CannotWriteRootOwnedFiles()
    {
        var r = await RunAsync("--user", "1000:1000", "busybox", "sh", "-c", "id; echo x >> /etc/passwd");
        Assert.NotEqual(0, r.ExitCode);
        Assert.StartsWith("uid=1000 gid=1000", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("Permission denied", r.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, (await RunAsync("busybox", "sh", "-c", "echo x >> /etc/passwd")).ExitCode);
    }

    [RootFact(E2E.Docker)]
    public async Task UserByName_AndGroupAdd()
    {
        var byName = (await RunAsync("--user", "nobody", "busybox", "id", "-u")).Ok("--user nobody");
        Assert.Equal("65534\n", byName.Stdout);
        var groups = (await RunAsync("--group-add", "1234", "--group-add", "daemon", "busybox", "id", "-G")).Ok("--group-add");
        var ids = groups.Stdout.Trim().Split(' ');
        Assert.Contains("1234", ids);
        Assert.Contains("1", ids); // daemon's gid in the image's /etc/group
    }

    [RootFact(E2E.Docker)]
    public async Task CapDropAll_ChownFails()
    {
        var r = await RunAsync("--cap-drop", "ALL", "busybox", "sh", "-c", "touch /tmp/f && chown 1 /tmp/f");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("Operation not permitted", r.Stderr, StringComparison.Ordinal);
        (await RunAsync("busybox", "sh", "-c", "touch /tmp/f && chown 1 /tmp/f")).Ok("chown with default caps");
    }

    [RootFact(E2E.Docker)]
    public async Task NoNewPrivileges_VisibleInProcStatus()
    {
        var on = (await RunAsync("--security-opt", "no-new-privileges", "busybox", "grep", "NoNewPrivs", "/proc/self/status")).Ok("nnp");
        Assert.Equal("NoNewPrivs:\t1\n", on.Stdout);
        var off = (await RunAsync("busybox", "grep", "NoNewPrivs", "/proc/self/status")).Ok("default");
        Assert.Equal("NoNewPrivs:\t0\n", off.Stdout);
    }

    [RootFact(E2E.Docker)]
    public async Task DefaultSeccomp_RefusesUnshare_UnconfinedAllowsIt()
    {
        var confined = await RunAsync("busybox", "unshare", "-U", "true");
        Assert.NotEqual(0, confined.ExitCode);
        Assert.Contains("Operation not permitted", confined.Stderr, StringComparison.Ordinal);
        (await RunAsync("--security-opt", "seccomp=unconfined", "busybox", "unshare", "-U", "true")).Ok("unshare without seccomp");
    }

    [RootFact(E2E.Docker)]
    public async Task Privileged_HasAllCapabilitiesAndHostDevices()
    {
        var caps = (await RunAsync("--privileged", "busybox", "grep", "CapEff", "/proc/self/status")).Ok("privileged");
        // Everything the daemon holds (its bounding set; 000001ffffffffff on an unrestricted host).
        var bounding = File.ReadLines("/proc/self/status").First(l => l.StartsWith("CapBnd:", StringComparison.Ordinal))["CapBnd:".Length..].Trim();
        Assert.Equal($"CapEff:\t{bounding}\n", caps.Stdout);
        var devices = (await RunAsync("--privileged", "busybox", "sh", "-c", "ls /dev | wc -l")).Ok("privileged /dev");
        var plain = (await RunAsync("busybox", "sh", "-c", "ls /dev | wc -l")).Ok("default /dev");
        Assert.True(int.Parse(devices.Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture) > int.Parse(plain.Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture));
        var normal = (await RunAsync("busybox", "grep", "CapEff", "/proc/self/status")).Ok("default");
        Assert.Equal("CapEff:\t00000000a80425fb\n", normal.Stdout);
    }

    [RootFact(E2E.Docker)]
    public async Task ReadOnly_RootfsRefusesWrites()
    {
        var r = await RunAsync("--read-only", "busybox", "touch", "/x");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("Read-only file system", r.Stderr, StringComparison.Ordinal);
    }

    [RootFact(E2E.Docker)]
    public async Task Init_RunsTiniAsPid1()
    {
        var r = (await RunAsync("--init", "busybox", "sh", "-c", "tr '\\0' ' ' < /proc/1/cmdline")).Ok("--init");
        Assert.Equal("/sbin/docker-init -- sh -c tr '\\0' ' ' < /proc/1/cmdline ", r.Stdout);
    }

    [RootFact(E2E.Docker)]
    public async Task UlimitSysctlShmOomScore_AreApplied()
    {
        var r = (await RunAsync("--ulimit", "nofile=100:200", "--sysctl", "kernel.msgmax=12345", "--shm-size", "10m", "--oom-score-adj", "500",
            "busybox", "sh", "-c", "ulimit -n; ulimit -Hn; cat /proc/sys/kernel/msgmax; df -k /dev/shm | tail -1 | awk '{print $2}'; cat /proc/self/oom_score_adj")).Ok("run");
        Assert.Equal("100\n200\n12345\n10240\n500\n", r.Stdout);
    }

    [RootFact(E2E.Docker, "/dev/fuse")]
    public async Task Device_IsUsableInside()
    {
        // /dev/fuse (10:229) is outside the default device allow-list (the runtime's defaults include /dev/full, so
        // that one proves nothing): it opens only when --device grants it.
        var r = (await RunAsync("--device", "/dev/fuse:/dev/myfuse", "busybox", "sh", "-c", "ls -l /dev/myfuse; exec 3<>/dev/myfuse && echo opened")).Ok("--device");
        Assert.StartsWith("crw", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("10, 229", r.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("opened\n", r.Stdout, StringComparison.Ordinal);
        var without = await RunAsync("busybox", "sh", "-c", "mknod /dev/myfuse c 10 229 && exec 3<>/dev/myfuse && echo opened");
        Assert.NotEqual(0, without.ExitCode);
        Assert.Contains("Operation not permitted", without.Stderr, StringComparison.Ordinal);
    }

    [RootFact(E2E.Docker)]
    public async Task StopSignalAndStopTimeout_AreUsedByStop()
    {
        var name = E2E.UniqueName("stopsig");
        try
        {
            (await daemon.RunDockerAsync(["run", "-d", "--name", name, "--stop-signal", "USR1", "busybox", "sh", "-c",
                "trap 'echo got-usr1; exit 3' USR1; echo ready; while true; do sleep 0.1; done"])).Ok("run -d");
            await E2E.EventuallyAsync(() => daemon.RunDockerAsync(["logs", name]), r => r.Stdout.Contains("ready", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "ready");
            (await daemon.RunDockerAsync(["stop", name], timeout: TimeSpan.FromSeconds(30))).Ok("stop");
            Assert.Equal("3\n", (await daemon.RunDockerAsync(["inspect", "-f", "{{.State.ExitCode}}", name])).Ok("inspect").Stdout);
            Assert.Contains("got-usr1", (await daemon.RunDockerAsync(["logs", name])).Ok("logs").Stdout, StringComparison.Ordinal);
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(name);
        }

        var slow = E2E.UniqueName("stoptmo");
        try
        {
            // PID 1 without a handler ignores SIGTERM: stop must fall back to SIGKILL after --stop-timeout, not 10 s.
            (await daemon.RunDockerAsync(["run", "-d", "--name", slow, "--stop-timeout", "1", "busybox", "sleep", "1000"])).Ok("run -d");
            var clock = Stopwatch.StartNew();
            (await daemon.RunDockerAsync(["stop", slow], timeout: TimeSpan.FromSeconds(30))).Ok("stop");
            Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 5);
            Assert.Equal("137\n", (await daemon.RunDockerAsync(["inspect", "-f", "{{.State.ExitCode}}", slow])).Ok("inspect").Stdout);
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(slow);
        }
    }
}

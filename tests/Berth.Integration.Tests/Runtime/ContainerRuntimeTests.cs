using System.Text;
using Berth.Integration.Tests.Support;
using Berth.Runtime;

namespace Berth.Integration.Tests.Runtime;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ContainerRuntimeTests
{
    [RootFact]
    public async Task Run_EchoHi_AttachReadsOutputAndExitZero()
    {
        await using var h = new RuntimeHarness();
        await h.InitializeAsync();
        var (stdout, _, exit) = await h.RunAsync(h.Launch(["echo", "hi"]));
        Assert.Equal("hi\n", stdout);
        Assert.Equal(0, exit.ExitCode);
        Assert.False(exit.OomKilled);
    }

    [RootFact("/usr/sbin/runc")]
    public async Task Run_WithRunc_OutputExitCodeAndKill()
    {
        await using var h = new RuntimeHarness("runc");
        await h.InitializeAsync();
        var (stdout, _, exit) = await h.RunAsync(h.Launch(["sh", "-c", "echo $$; exit 6"]));
        Assert.Equal("1\n", stdout);
        Assert.Equal(6, exit.ExitCode);

        var launch = h.Launch(["sleep", "1000"]);
        var exitTask = h.WaitForExit(launch.Id);
        await h.Runtime.CreateAsync(launch, CancellationToken.None);
        await h.Runtime.StartAsync(launch.Id, CancellationToken.None);
        Assert.Equal(RuntimeState.Running, (await h.Runtime.StatusAsync(launch.Id, CancellationToken.None)).State);
        // PID 1 gets no default signal actions, so only SIGKILL ends a plain sleep (docker stop falls back to it too).
        await h.Runtime.KillAsync(launch.Id, 9, CancellationToken.None);
        Assert.Equal(137, (await exitTask.Task.WaitAsync(TimeSpan.FromSeconds(20))).ExitCode);
    }

    [RootFact]
    public async Task Run_ExitThree_ReportsThree()
    {
        await using var h = new RuntimeHarness();
        await h.InitializeAsync();
        var (_, _, exit) = await h.RunAsync(h.Launch(["sh", "-c", "echo oops >&2; exit 3"]));
        Assert.Equal(3, exit.ExitCode);
        var read = await h.Runtime.TryReadExitAsync(exit.Id, CancellationToken.None);
        Assert.Equal(3, read!.ExitCode);
    }

    [RootFact]
    public async Task Run_StderrAndPidOneAndHostname()
    {
        await using var h = new RuntimeHarness();
        await h.InitializeAsync();
        var (stdout, stderr, exit) = await h.RunAsync(h.Launch(["sh", "-c", "echo $$; hostname; echo err >&2"], hostname: "box1"));
        Assert.Equal("1\nbox1\n", stdout);
        Assert.Equal("err\n", stderr);
        Assert.Equal(0, exit.ExitCode);
    }

    [RootFact]
    public async Task Run_MemoryHogOverLimit_OomKilled()
    {
        await using var h = new RuntimeHarness();
        await h.InitializeAsync();
        var launch = h.Launch(["sh", "-c", "x=$(dd if=/dev/zero bs=1048576 count=100 2>/dev/null | tr '\\000' a); echo ${#x}"],
            resources: new ResourceLimits(MemoryBytes: 32 * 1024 * 1024));
        var (_, _, exit) = await h.RunAsync(launch);
        Assert.True(exit.OomKilled, $"exit {exit.ExitCode} without OOM");
        Assert.NotEqual(0, exit.ExitCode);
    }

    [RootFact]
    public async Task Run_Tty_EchoesStdin()
    {
        await using var h = new RuntimeHarness();
        await h.InitializeAsync();
        var launch = h.Launch(["cat"], tty: true, stdin: true);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var exitTask = h.WaitForExit(launch.Id);
        await h.Runtime.CreateAsync(launch, cts.Token);
        await using var attach = await h.Runtime.AttachAsync(launch.Id, cts.Token);
        await h.Runtime.StartAsync(launch.Id, cts.Token);
        await h.Runtime.ResizeAsync(launch.Id, 40, 100, cts.Token);
        await attach.WriteStdinAsync(Encoding.ASCII.GetBytes("hello\n\u0004"), cts.Token);
        var (stdout, _) = await RuntimeHarness.ReadAllAsync(attach, cts.Token);
        var exit = await exitTask.Task.WaitAsync(cts.Token);
        Assert.Contains("hello\r\nhello\r\n", stdout);
        Assert.Equal(0, exit.ExitCode);
    }

    [RootFact]
    public async Task Exec_NonTtyAndTty_OutputAndExitCode_ThenKillGives137()
    {
        await using var h = new RuntimeHarness();
        await h.InitializeAsync();
        var launch = h.Launch(["sleep", "1000"]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var exitTask = h.WaitForExit(launch.Id);
        var pid = await h.Runtime.CreateAsync(launch, cts.Token);
        Assert.True(pid > 0);
        Assert.Equal(RuntimeState.Created, (await h.Runtime.StatusAsync(launch.Id, cts.Token)).State);
        await h.Runtime.StartAsync(launch.Id, cts.Token);
        var status = await h.Runtime.StatusAsync(launch.Id, cts.Token);
        Assert.Equal(new RuntimeStatus(RuntimeState.Running, pid), status);
        Assert.Contains(pid, await h.Runtime.ListPidsAsync(launch.Id, cts.Token));

        await using (var exec = await h.Runtime.ExecAsync(launch.Id,
            new ProcessSpec(["sh", "-c", "echo out; echo err >&2; exit 5"], ["PATH=/bin"], "/", ""), tty: false, attachStdin: false, privileged: false, cts.Token))
        {
            var stdout = await new StreamReader(exec.Stdout).ReadToEndAsync(cts.Token);
            var stderr = await new StreamReader(exec.Stderr!).ReadToEndAsync(cts.Token);
            Assert.Equal(5, await exec.ExitCode.WaitAsync(cts.Token));
            Assert.Equal("out\n", stdout);
            Assert.Equal("err\n", stderr);
        }

        await using (var exec = await h.Runtime.ExecAsync(launch.Id,
            new ProcessSpec(["sh"], ["PATH=/bin"], "/", ""), tty: true, attachStdin: true, privileged: false, cts.Token))
        {
            Assert.True(exec.Pid > 0);
            Assert.Null(exec.Stderr);
            await exec.ResizeAsync(30, 90, cts.Token);
            await exec.Stdin!.WriteAsync(Encoding.ASCII.GetBytes("stty size; exit 4\n"), cts.Token);
            var output = await new StreamReader(exec.Stdout).ReadToEndAsync(cts.Token);
            Assert.Equal(4, await exec.ExitCode.WaitAsync(cts.Token));
            Assert.Contains("30 90", output);
        }

        await h.Runtime.KillAsync(launch.Id, 9, cts.Token);
        var exit = await exitTask.Task.WaitAsync(cts.Token);
        Assert.Equal(137, exit.ExitCode);
        Assert.Equal(RuntimeState.Stopped, (await h.Runtime.StatusAsync(launch.Id, cts.Token)).State);
    }

    [RootFact]
    public async Task Run_PidsLimit_ForkFails()
    {
        await using var h = new RuntimeHarness();
        await h.InitializeAsync();
        var launch = h.Launch(["sh", "-c", "i=0; while [ $i -lt 30 ]; do sleep 5 & i=$((i+1)); done; echo spawned; kill $(jobs -p) 2>/dev/null; true"],
            resources: new ResourceLimits(PidsLimit: 10));
        var (stdout, stderr, _) = await h.RunAsync(launch);
        Assert.Contains("fork", stdout + stderr, StringComparison.OrdinalIgnoreCase);
    }

    [RootFact]
    public async Task Run_DefaultSeccomp_RefusesUserNamespaceUnshare_UnconfinedAllowsIt()
    {
        // CLONE_NEWUSER needs no capability, so only the seccomp profile stands between the container and unshare -U.
        await using var h = new RuntimeHarness();
        await h.InitializeAsync();
        const string Script = "unshare -U true; echo rc=$?";
        var (stdout, stderr, _) = await h.RunAsync(h.Launch(["sh", "-c", Script]));
        Assert.Equal("rc=1\n", stdout);
        Assert.Contains("Operation not permitted", stderr);

        var (unconfined, _, _) = await h.RunAsync(h.Launch(["sh", "-c", Script], security: new SecurityOptions(SeccompProfilePath: "unconfined")));
        Assert.Equal("rc=0\n", unconfined);
    }

    [RootFact]
    public async Task Create_NonTty_StdoutAndStderrPipesEnlargedBeforeStart()
    {
        // A pipe of pipe-max-size lets a chatty container run ahead of its monitor.
        await using var h = new RuntimeHarness();
        await h.InitializeAsync();
        var launch = h.Launch(["sh", "-c", "echo out; echo err >&2"]);
        var pid = await h.Runtime.CreateAsync(launch, CancellationToken.None);
        var max = int.Parse(File.ReadAllText("/proc/sys/fs/pipe-max-size").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(max, Libc.PipeSize(pid, 1));
        Assert.Equal(max, Libc.PipeSize(pid, 2));
        var exited = h.WaitForExit(launch.Id);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var attach = await h.Runtime.AttachAsync(launch.Id, cts.Token);
        await h.Runtime.StartAsync(launch.Id, cts.Token);
        var (stdout, stderr) = await RuntimeHarness.ReadAllAsync(attach, cts.Token);
        Assert.Equal(("out\n", "err\n"), (stdout, stderr));
        Assert.Equal(0, (await exited.Task.WaitAsync(TimeSpan.FromSeconds(20))).ExitCode);
    }

    [RootFact]
    public async Task Container_OutlivesRuntimeObject_NewInstanceFindsItAndItsExit()
    {
        await using var h = new RuntimeHarness();
        await h.InitializeAsync();
        var launch = h.Launch(["sh", "-c", "sleep 2; exit 7"]);
        var pid = await h.Runtime.CreateAsync(launch, CancellationToken.None);
        await h.Runtime.StartAsync(launch.Id, CancellationToken.None);

        var second = await h.RestartRuntimeAsync();
        var status = await second.StatusAsync(launch.Id, CancellationToken.None);
        Assert.Equal(new RuntimeStatus(RuntimeState.Running, pid), status);
        Assert.Null(await second.TryReadExitAsync(launch.Id, CancellationToken.None));
        var exit = await h.WaitForExit(launch.Id).Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(7, exit.ExitCode);
        Assert.Equal(7, (await second.TryReadExitAsync(launch.Id, CancellationToken.None))!.ExitCode);
    }
}

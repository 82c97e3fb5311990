using System.Diagnostics;
using System.Text;
using Berth.Runtime;

namespace Berth.Integration.Tests.Runtime;

/// <summary>A busybox rootfs, a private state root and a runtime; deletes every container it made and its directories.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RuntimeHarness : IAsyncDisposable
{
    private readonly List<string> _ids = [];

    public RuntimeHarness(string runtimeName = "crun")
    {
        Root = Path.Combine("/run", "berth-rt-test-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Root);
        Rootfs = Path.Combine(Root, "rootfs");
        MakeBusyboxRootfs(Rootfs);
        Options = new RuntimeOptions(Path.Combine(Root, "state"), runtimeName, MonitorPath: Support.RepoPaths.Monitor);
        Runtime = new ContainerRuntime(Options);
    }

    public string Root { get; }

    public string Rootfs { get; }

    public RuntimeOptions Options { get; }

    public ContainerRuntime Runtime { get; private set; }

    public Task InitializeAsync() => Runtime.InitializeAsync(CancellationToken.None);

    /// <summary>Replaces the runtime object, as a restarted daemon would.</summary>
    public async Task<ContainerRuntime> RestartRuntimeAsync()
    {
        await Runtime.DisposeAsync();
        Runtime = new ContainerRuntime(Options);
        await Runtime.InitializeAsync(CancellationToken.None);
        return Runtime;
    }

    public ContainerLaunch Launch(string[] args, bool tty = false, bool stdin = false, ResourceLimits? resources = null,
        string hostname = "testhost", SecurityOptions? security = null)
    {
        var id = "berthtest" + Guid.NewGuid().ToString("N");
        _ids.Add(id);
        var bundle = Path.Combine(Root, "bundles", id);
        return new ContainerLaunch(id, bundle, Rootfs,
            new ProcessSpec(args, ["PATH=/bin:/usr/bin:/sbin"], "/", ""), hostname, tty, stdin, StdinOnce: stdin,
            Path.Combine(bundle, "ctr.log"), [], new NamespaceOptions("none"), resources ?? new ResourceLimits(),
            security ?? new SecurityOptions());
    }

    /// <summary>Create, attach, start, collect output until EOF, then wait for the exit.</summary>
    public async Task<(string Stdout, string Stderr, ContainerExit Exit)> RunAsync(ContainerLaunch launch, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        var exitTcs = WaitForExit(launch.Id);
        await Runtime.CreateAsync(launch, cts.Token);
        await using var attach = await Runtime.AttachAsync(launch.Id, cts.Token);
        await Runtime.StartAsync(launch.Id, cts.Token);
        var (stdout, stderr) = await ReadAllAsync(attach, cts.Token);
        var exit = await exitTcs.Task.WaitAsync(cts.Token);
        return (stdout, stderr, exit);
    }

    public TaskCompletionSource<ContainerExit> WaitForExit(string id)
    {
        var tcs = new TaskCompletionSource<ContainerExit>(TaskCreationOptions.RunContinuationsAsynchronously);
        Runtime.Exited += e => { if (e.Id == id) tcs.TrySetResult(e); };
        return tcs;
    }

    public static async Task<(string Stdout, string Stderr)> ReadAllAsync(IAttachConnection attach, CancellationToken ct)
    {
        var outSb = new StringBuilder();
        var errSb = new StringBuilder();
        while (await attach.ReadAsync(ct) is { } frame)
            (frame.Stream == 2 ? errSb : outSb).Append(Encoding.UTF8.GetString(frame.Data.Span));
        return (outSb.ToString(), errSb.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var id in _ids) await Runtime.DeleteAsync(id, CancellationToken.None);
        await Runtime.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }

    private static void MakeBusyboxRootfs(string rootfs)
    {
        Directory.CreateDirectory(Path.Combine(rootfs, "bin"));
        Directory.CreateDirectory(Path.Combine(rootfs, "etc"));
        Directory.CreateDirectory(Path.Combine(rootfs, "tmp"));
        File.Copy("/bin/busybox", Path.Combine(rootfs, "bin/busybox"));
        // --install must run inside the root, or the links point at the host's paths (DESIGN pitfalls).
        using (var p = Process.Start(new ProcessStartInfo("chroot", [rootfs, "/bin/busybox", "--install", "-s", "/bin"]))!)
        {
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException("busybox --install failed");
        }
        File.WriteAllText(Path.Combine(rootfs, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
        File.WriteAllText(Path.Combine(rootfs, "etc/group"), "root:x:0:\nnogroup:x:65534:\n");
    }
}

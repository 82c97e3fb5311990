using System.Globalization;
using Berth.Core.Errors;
using Berth.Runtime.Cgroups;
using Berth.Runtime.Cli;
using Berth.Runtime.Monitor;
using Berth.Runtime.Oci;

namespace Berth.Runtime;

/// <summary>
/// berth-monitor + crun/runc. State layout under StateRoot: runtime/ (the OCI runtime's --root), exits/&lt;id&gt; (the
/// monitors' exit files), c/&lt;id&gt;/ (a container's persist dir: pid files, oom marker, our note of the bundle path);
/// the attach socket and control fifo are in the bundle. Everything is on disk, so a new instance picks up where a
/// dead one left off.
/// </summary>
public sealed partial class ContainerRuntime : IContainerRuntime, IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan s_createTimeout = TimeSpan.FromSeconds(60);
    private readonly RuntimeOptions _options;
    private readonly ILogSink? _log;
    private readonly OciRuntimeCli _cli;
    private readonly string _monitorPath;
    private readonly Dictionary<string, int> _monitors = new(StringComparer.Ordinal);
    private readonly string _exitDir;
    private readonly string _persistRoot;
    private readonly Lazy<SpecContext> _specContext = new(SpecContext.FromHost);
    private readonly SeccompBpfCache? _seccomp;

    public ContainerRuntime(RuntimeOptions options, ILogSink? log = null)
    {
        _options = options;
        _log = log;
        var runtimePath = options.RuntimePath ?? FindExecutable(options.RuntimeName)
            ?? throw new FailedPreconditionException($"OCI runtime {options.RuntimeName} not found in PATH");
        _monitorPath = options.MonitorPath ?? FindIn(Path.Combine(AppContext.BaseDirectory, MonitorName)) ?? FindExecutable(MonitorName)
            ?? throw new FailedPreconditionException($"{MonitorName} not found beside berthd or in PATH");
        var sealedCopy = Path.GetFileName(runtimePath).StartsWith("crun", StringComparison.Ordinal) ? SealedRuntimeBinary.TryCreate(runtimePath, log) : null;
        _cli = new OciRuntimeCli(runtimePath, Path.Combine(options.StateRoot, "runtime"), sealedCopy);
        _exitDir = Path.Combine(options.StateRoot, "exits");
        _persistRoot = Path.Combine(options.StateRoot, "c");
        if (_cli.IsCrun) _seccomp = new SeccompBpfCache();   // the annotation it relies on is crun's
    }

    /// <summary>Creates the state directories, makes the cgroup layout usable for the runtime, and starts watching for exits.</summary>
    public Task InitializeAsync(CancellationToken ct)
    {
        foreach (var d in new[] { _options.StateRoot, _cli.Root, _exitDir, _persistRoot, ExecSocketDir })
            Directory.CreateDirectory(d);
        HybridCgroupFix.Apply(_log);
        StartExitWatcher();
        return Task.CompletedTask;
    }

    public async Task<int> CreateAsync(ContainerLaunch launch, CancellationToken ct)
    {
        var id = launch.Id;
        if (id.Length == 0 || id.Contains('/') || id.Contains("..", StringComparison.Ordinal)) throw new InvalidArgumentException($"invalid container id {id}");
        if (_cli.Exists(id)) throw new ConflictException($"container {id} already exists in the runtime");

        var spec = SpecBuilder.Build(launch, _specContext.Value);
        var seccompKey = _seccomp?.Apply(spec);
        Directory.CreateDirectory(launch.BundleDir);
        await File.WriteAllTextAsync(Path.Combine(launch.BundleDir, "config.json"), spec.ToJsonString(), ct);

        var persist = PersistDir(id);
        if (Directory.Exists(persist)) Directory.Delete(persist, recursive: true);
        Directory.CreateDirectory(persist);
        await File.WriteAllTextAsync(Path.Combine(persist, "bundle"), launch.BundleDir, ct);
        File.Delete(Path.Combine(_exitDir, id));
        ForgetReported(id);
        if (Path.GetDirectoryName(launch.LogPath) is { Length: > 0 } logDir) Directory.CreateDirectory(logDir);

        var monitor = new MonitorOptions(id, _cli.Path, ["--root=" + _cli.Root], launch.BundleDir, Path.Combine(persist, "pidfile"),
            Path.Combine(persist, "monitor.pid"), launch.LogPath.Length == 0 ? null : launch.LogPath, _exitDir, persist,
            OomCounter.FileFor(id), launch.Tty, launch.OpenStdin, LeaveStdinOpen: launch.OpenStdin && !launch.StdinOnce);
        try
        {
            var (pid, monitorPid) = await MonitorLauncher.LaunchAsync(_monitorPath, monitor.ToArguments(), persist, Path.Combine(persist, "monitor.stderr"), s_createTimeout, ct);
            lock (_monitors) _monitors[id] = monitorPid;
            _seccomp?.Learn(seccompKey, Path.Combine(_cli.Root, id, "seccomp.bpf"));
            return pid;
        }
        catch
        {
            await DeleteAsync(id, CancellationToken.None);
            throw;
        }
    }

    public Task StartAsync(string id, CancellationToken ct) => _cli.StartAsync(id, ct);

    public Task KillAsync(string id, int signal, CancellationToken ct) => _cli.KillAsync(id, signal, ct);

    public Task PauseAsync(string id, CancellationToken ct) => _cli.PauseAsync(id, ct);

    public Task ResumeAsync(string id, CancellationToken ct) => _cli.ResumeAsync(id, ct);

    public async Task DeleteAsync(string id, CancellationToken ct)
    {
        var persist = PersistDir(id);
        var bundle = BundleOf(id);
        await _cli.DeleteAsync(id, ct);
        // Wait for the monitor to notice the kill and write its exit file, so nothing reappears after we clean up.
        if (ReadInt(Path.Combine(persist, "monitor.pid")) is { } monitorPid)
        {
            for (var i = 0; i < 200 && IsAlive(monitorPid); i++) await Task.Delay(10, CancellationToken.None);
        }
        ReapMonitor(id);
        foreach (var c in new[] { "memory", "pids", "cpu", "cpuset", "devices", "freezer", "blkio", "cpuacct", "hugetlb", "systemd" })
            CgroupCleanup.TryRemove(c, CgroupInfo.ContainerCgroupsPath(id), _log);
        TryDelete(Path.Combine(_exitDir, id));
        if (bundle is not null)
            foreach (var f in new[] { "attach", "ctl", "winsz", "oom" }) TryDelete(Path.Combine(bundle, f));
        try { if (Directory.Exists(persist)) Directory.Delete(persist, recursive: true); }
        catch (IOException e) { _log?.Write($"runtime: cannot remove {persist}: {e.Message}"); }
        ForgetReported(id);
    }

    public async Task UpdateAsync(string id, ResourceLimits limits, CancellationToken ct)
    {
        var res = SpecBuilder.BuildResources(limits, privileged: false, _specContext.Value, includeDevices: false);
        var file = Path.Combine(PersistDir(id), "update.json");
        await File.WriteAllTextAsync(file, res.ToJsonString(), ct);
        try { await _cli.UpdateAsync(id, file, ct); }
        finally { TryDelete(file); }
    }

    public async Task<IReadOnlyList<int>> ListPidsAsync(string id, CancellationToken ct)
    {
        var cg = CgroupInfo.ContainerCgroupsPath(id);
        var dir = CgroupInfo.PathFor("pids", cg) ?? CgroupInfo.PathFor("memory", cg) ?? throw new FailedPreconditionException("no pids cgroup");
        var file = Path.Combine(dir, "cgroup.procs");
        if (!File.Exists(file))
        {
            if (!_cli.Exists(id)) throw new NotFoundException($"No such container: {id}");
            return [];
        }
        var pids = new List<int>();
        foreach (var line in await File.ReadAllLinesAsync(file, ct))
            if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var p)) pids.Add(p);
        return pids;
    }

    public Task<RuntimeStatus> StatusAsync(string id, CancellationToken ct) => _cli.StateAsync(id, ct);

    public Task<IAttachConnection> AttachAsync(string id, CancellationToken ct)
    {
        var bundle = BundleOf(id) ?? throw new ConflictException($"container {id} is not running");
        var path = Path.Combine(bundle, "attach");
        if (!File.Exists(path)) throw new ConflictException($"container {id} is not running");
        return ConnectAsync(path, ct);

        static async Task<IAttachConnection> ConnectAsync(string p, CancellationToken ct) => await AttachConnection.ConnectAsync(p, ct);
    }

    public Task ResizeAsync(string id, int height, int width, CancellationToken ct) => WriteControlAsync(id, $"1 {height} {width}\n");

    public Task ReopenLogAsync(string id, CancellationToken ct) => WriteControlAsync(id, "2 0 0\n");

    /// <summary>One line to the monitor's control fifo: "1 h w" resizes the terminal, "2 0 0" reopens the log file.</summary>
    private Task WriteControlAsync(string id, string line)
    {
        var bundle = BundleOf(id) ?? throw new NotFoundException($"No such container: {id}");
        var fd = Interop.Libc.Open(Path.Combine(bundle, "ctl"), Interop.Libc.O_WRONLY | Interop.Libc.O_NONBLOCK | Interop.Libc.O_CLOEXEC, 0);
        // ENXIO/ENOENT: the monitor is gone (container stopped); Docker ignores resizes of stopped containers too.
        if (fd < 0) return Task.CompletedTask;
        try { Interop.Libc.WriteAll(fd, System.Text.Encoding.ASCII.GetBytes(line)); }
        finally { Interop.Libc.Close(fd); }
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        StopExitWatcher();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private const string MonitorName = "berth-monitor";

    private string PersistDir(string id) => Path.Combine(_persistRoot, id);

    /// <summary>Collects the monitor we started for this container, if this instance started it (it is exiting).</summary>
    private void ReapMonitor(string id)
    {
        int pid;
        lock (_monitors)
        {
            if (!_monitors.Remove(id, out pid)) return;
        }
        _ = MonitorLauncher.ReapAsync(pid);
    }

    private string ExecSocketDir => Path.Combine(_options.StateRoot, "e");

    private string? BundleOf(string id)
    {
        try { return File.ReadAllText(Path.Combine(PersistDir(id), "bundle")).Trim(); }
        catch (IOException) { return null; }
    }

    private static int? ReadInt(string path)
    {
        try { return int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null; }
        catch (IOException) { return null; }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            // A zombie still has a /proc entry; its state letter follows the parenthesised command name.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var i = stat.LastIndexOf(')');
            return i > 0 && i + 2 < stat.Length && stat[i + 2] != 'Z';
        }
        catch (IOException) { return false; }
    }

    private void TryDelete(string path)
    {
        try
        {
            if (File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null) File.Delete(path);
        }
        catch (IOException e) { _log?.Write($"runtime: cannot remove {path}: {e.Message}"); }
        catch (UnauthorizedAccessException e) { _log?.Write($"runtime: cannot remove {path}: {e.Message}"); }
    }

    private static string? FindExecutable(string name)
    {
        if (name.Contains('/')) return FindIn(name);
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]))
            if (dir.Length > 0 && FindIn(Path.Combine(dir, name)) is { } p) return p;
        return null;
    }

    private static string? FindIn(string path) => File.Exists(path) ? path : null;
}

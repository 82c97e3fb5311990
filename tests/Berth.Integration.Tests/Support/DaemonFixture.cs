using System.Diagnostics;
using System.Text.Json;

namespace Berth.Integration.Tests.Support;

/// <summary>
/// A real out/berthd on a private temp root (/tmp/berth-it-&lt;random&gt;/{data,run,berth.sock}), driven through our
/// CLI, the docker CLI and docker-py. Dispose removes every container, stops the daemon, kills what it left
/// running, unmounts what it left mounted and deletes the temp root. Without root (and CI unset) it starts
/// nothing: the RootFact tests that would use it are skipped.
/// </summary>
public sealed class DaemonFixture : IAsyncLifetime
{
    public const string DockerCliPath = "/usr/local/bin/docker";

    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly bool _enabled = Environment.IsPrivilegedProcess || Environment.GetEnvironmentVariable("CI") == "true";
    private Process? _daemon;
    private string? _python;

    public DaemonFixture()
    {
        TempRoot = Path.Combine(Path.GetTempPath(), "berth-it-" + Guid.NewGuid().ToString("N")[..12]);
        DataRoot = Path.Combine(TempRoot, "data");
        ExecRoot = Path.Combine(TempRoot, "run");
        SocketPath = Path.Combine(TempRoot, "berth.sock");
        LogPath = Path.Combine(TempRoot, "berthd.log");
        DockerConfigDir = Path.Combine(TempRoot, "docker-config");
        // Each daemon gets its own default bridge and subnet: sharing one let a daemon delete another's bridge.
        var random = Guid.NewGuid().ToByteArray();
        BridgeName = "bt" + Convert.ToHexStringLower(random)[..8];
        BridgeCidr = $"10.{200 + (random[8] % 50)}.{random[9]}.1/24";
    }

    /// <summary>More berthd flags (e.g. a TLS <c>-H tcp://</c>); set before InitializeAsync.</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>This daemon's default bridge (berthd --bridge); also the tag of its iptables chains.</summary>
    public string BridgeName { get; }

    /// <summary>The default bridge's address and prefix (berthd --bip).</summary>
    public string BridgeCidr { get; }

    public string TempRoot { get; }

    public string DataRoot { get; }

    public string ExecRoot { get; }

    public string SocketPath { get; }

    /// <summary>The daemon's output (stdout and stderr, appended across restarts).</summary>
    public string LogPath { get; }

    /// <summary>An empty DOCKER_CONFIG so the host's ~/.docker (contexts, credential helpers) cannot interfere.</summary>
    public string DockerConfigDir { get; }

    public string DockerHost => "unix://" + SocketPath;

    public int DaemonPid => _daemon?.Id ?? throw new InvalidOperationException("berthd is not running");

    /// <summary>Environment for clients: our socket, a private docker config, and no inherited context or TLS.</summary>
    public IReadOnlyDictionary<string, string?> ClientEnvironment => new Dictionary<string, string?>
    {
        ["DOCKER_HOST"] = DockerHost,
        ["DOCKER_CONFIG"] = DockerConfigDir,
        ["DOCKER_CONTEXT"] = null,
        ["DOCKER_TLS_VERIFY"] = null,
        ["DOCKER_CERT_PATH"] = null,
        ["DOCKER_API_VERSION"] = null,
        ["DOCKER_CLI_HINTS"] = "false",
    };

    public async Task InitializeAsync()
    {
        if (!_enabled)
        {
            return;
        }

        if (!File.Exists(RepoPaths.Berthd) || !File.Exists(RepoPaths.Berth))
        {
            throw new InvalidOperationException(
                $"{RepoPaths.Berthd} or {RepoPaths.Berth} is missing: run scripts/build.sh first");
        }

        Directory.CreateDirectory(DataRoot);
        Directory.CreateDirectory(ExecRoot);
        Directory.CreateDirectory(DockerConfigDir);
        try
        {
            await StartDaemonAsync();
        }
        catch
        {
            // xunit may not dispose a fixture whose start failed; leave no daemon, mount or temp dir behind.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (!_enabled || !Directory.Exists(TempRoot))
        {
            return;
        }

        var problems = new List<string>();
        if (_daemon is { HasExited: false })
        {
            // A daemon that cannot remove its containers is reported by the tests themselves; here it is only a
            // note, since the process sweep below cleans up after it anyway.
            var notes = new List<string>();
            await RemoveAllContainersAsync(notes);
            await NetworkCleaner.RemoveUserNetworksAsync(this, notes);
            foreach (var note in notes)
            {
                await Console.Error.WriteLineAsync("DaemonFixture: " + note);
            }
        }

        await StopDaemonAsync();
        await NetworkCleaner.RemoveDaemonBridgeAsync(BridgeName, problems);
        var killed = TempRootCleaner.KillProcessesUnder(TempRoot);
        if (killed.Count > 0)
        {
            await Task.Delay(200);
        }

        var stillMounted = TempRootCleaner.UnmountAllUnder(TempRoot);
        if (stillMounted.Count > 0)
        {
            problems.Add($"still mounted, so {TempRoot} was kept: {string.Join(", ", stillMounted)}");
        }
        else
        {
            try
            {
                Directory.Delete(TempRoot, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                problems.Add($"could not delete {TempRoot}: {ex.Message}");
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException("end-to-end cleanup: " + string.Join("; ", problems));
        }
    }

    /// <summary>Runs out/berth -H unix://… with the given arguments.</summary>
    public Task<CommandResult> RunBerthAsync(string[] args, string? stdin = null, TimeSpan? timeout = null)
        => ProcessRunner.RunAsync(RepoPaths.Berth, ["-H", DockerHost, .. args], ClientEnvironment, stdin, timeout);

    /// <summary>Runs the real docker CLI against this daemon.</summary>
    public Task<CommandResult> RunDockerAsync(string[] args, string? stdin = null, TimeSpan? timeout = null)
        => ProcessRunner.RunAsync(DockerCliPath, args, ClientEnvironment, stdin, timeout);

    /// <summary>Starts the docker CLI and leaves it running, for streams such as logs -f.</summary>
    public StreamingProcess StartDocker(string[] args) => ProcessRunner.StartStreaming(DockerCliPath, args, ClientEnvironment);

    /// <summary>Runs a Python script (python3 -c) that has the docker SDK and DOCKER_HOST pointing here.</summary>
    public async Task<CommandResult> RunPythonAsync(string script, TimeSpan? timeout = null)
    {
        _python ??= await FindPythonWithDockerAsync();
        return await ProcessRunner.RunAsync(_python, ["-c", script], ClientEnvironment, null, timeout);
    }

    /// <summary>Any other helper (curl, tmux…) with the client environment and a deadline.</summary>
    public Task<CommandResult> RunAsync(string fileName, string[] args, string? stdin = null, TimeSpan? timeout = null)
        => ProcessRunner.RunAsync(fileName, args, ClientEnvironment, stdin, timeout);

    /// <summary>An HttpClient on the daemon's socket, for API checks below the CLI.</summary>
    public HttpClient CreateApiClient(TimeSpan? timeout = null) => UnixSocketHttp.Create(SocketPath, timeout ?? ProcessRunner.DefaultTimeout);

    /// <summary>SIGKILLs berthd alone (not its children: container monitors must outlive it) and waits for it to go.</summary>
    public async Task Kill9Async()
    {
        var daemon = _daemon ?? throw new InvalidOperationException("berthd is not running");
        if (!daemon.HasExited)
        {
            _ = Libc.Kill(daemon.Id, Libc.SIGKILL);
            using var cts = new CancellationTokenSource(StopTimeout);
            await daemon.WaitForExitAsync(cts.Token);
        }

        daemon.Dispose();
        _daemon = null;
    }

    /// <summary>Starts berthd again on the same roots and socket (after Kill9Async) and waits for /_ping.</summary>
    public async Task RestartAsync()
    {
        if (_daemon is { HasExited: false })
        {
            await StopDaemonAsync();
        }

        await StartDaemonAsync();
    }

    /// <summary>The last lines berthd printed, for failure messages.</summary>
    public string LogTail(int lines = 40)
    {
        try
        {
            return string.Join('\n', File.ReadLines(LogPath).TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no berthd log)";
        }
    }

    private async Task StartDaemonAsync()
    {
        // Through sh only to send the daemon's output to a file: the daemon then holds no pipe of ours, and
        // container monitors it spawns cannot keep one of ours open after it dies.
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var a in new[]
                 {
                     "-c", "exec \"$0\" \"$@\" </dev/null >>\"$BERTH_IT_LOG\" 2>&1", RepoPaths.Berthd,
                     "--data-root", DataRoot, "--exec-root", ExecRoot, "-H", DockerHost, "--bridge", BridgeName, "--bip", BridgeCidr,
                 })
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var a in ExtraArguments)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["BERTH_IT_LOG"] = LogPath;
        var daemon = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {RepoPaths.Berthd}");
        _daemon = daemon;

        using var http = UnixSocketHttp.Create(SocketPath, TimeSpan.FromSeconds(1));
        var clock = Stopwatch.StartNew();
        var last = "no answer";
        while (clock.Elapsed < PingTimeout)
        {
            if (daemon.HasExited)
            {
                throw new InvalidOperationException(
                    $"berthd exited with code {daemon.ExitCode} before answering /_ping on {SocketPath}.\n{LogTail()}");
            }

            try
            {
                using var response = await http.GetAsync("/_ping");
                var body = await response.Content.ReadAsStringAsync();
                if (response.IsSuccessStatusCode && body == "OK")
                {
                    return;
                }

                last = $"{(int)response.StatusCode} {body}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                last = ex.Message;
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException(
            $"berthd did not answer GET /_ping with 200 OK within {PingTimeout.TotalSeconds:0} s (last: {last}).\n{LogTail()}");
    }

    private async Task StopDaemonAsync()
    {
        var daemon = _daemon;
        if (daemon is null)
        {
            return;
        }

        if (!daemon.HasExited)
        {
            _ = Libc.Kill(daemon.Id, Libc.SIGTERM);
            try
            {
                using var cts = new CancellationTokenSource(StopTimeout);
                await daemon.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _ = Libc.Kill(daemon.Id, Libc.SIGKILL);
                daemon.WaitForExit(5000);
            }
        }

        daemon.Dispose();
        _daemon = null;
    }

    private async Task RemoveAllContainersAsync(List<string> problems)
    {
        try
        {
            using var http = CreateApiClient(TimeSpan.FromSeconds(30));
            using var list = JsonDocument.Parse(await http.GetStringAsync("/containers/json?all=1"));
            foreach (var container in list.RootElement.EnumerateArray())
            {
                var id = container.GetProperty("Id").GetString();
                using var response = await http.DeleteAsync($"/containers/{id}?force=1&v=1");
                if (!response.IsSuccessStatusCode && (int)response.StatusCode != 404)
                {
                    problems.Add($"DELETE /containers/{id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException or KeyNotFoundException)
        {
            // The daemon may be the thing under test and broken; the process sweep below still cleans up.
            problems.Add($"could not remove containers through the API: {ex.Message}");
        }
    }

    private static async Task<string> FindPythonWithDockerAsync()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "python3"))
            .Append("/usr/bin/python3")
            .Where(File.Exists)
            .Distinct();
        foreach (var python in candidates)
        {
            var probe = await ProcessRunner.RunAsync(python, ["-c", "import docker"], timeout: TimeSpan.FromSeconds(20));
            if (probe.ExitCode == 0)
            {
                return python;
            }
        }

        throw new InvalidOperationException("no python3 with the docker SDK (pip install docker, or apt-get install python3-docker)");
    }
}

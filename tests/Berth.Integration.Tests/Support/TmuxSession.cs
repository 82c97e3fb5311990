namespace Berth.Integration.Tests.Support;

/// <summary>
/// A program on a real terminal: a private tmux server (its own socket, no user config) running one command in a
/// 120x40 pane. Tests type with SendKeysAsync and read the screen with WaitForScreenAsync.
/// </summary>
public sealed class TmuxSession : IAsyncDisposable
{
    public const string TmuxPath = "/usr/bin/tmux";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);
    private readonly string _socket;

    private TmuxSession(string socket) => _socket = socket;

    public static async Task<TmuxSession> StartAsync(string[] command, IReadOnlyDictionary<string, string?> env)
    {
        var session = new TmuxSession(Path.Combine(Path.GetTempPath(), $"berth-it-tmux-{Guid.NewGuid():N}.sock"));
        var args = new List<string> { "start-server", ";", "set-option", "-g", "remain-on-exit", "on", ";", "new-session", "-d", "-s", "main", "-x", "120", "-y", "40" };
        foreach (var (key, value) in env)
        {
            if (value is not null)
            {
                args.AddRange(["-e", $"{key}={value}"]);
            }
        }

        // The shell wrapper prints the command's exit status and keeps the pane alive, so the status can be read
        // from the screen whatever tmux's remain-on-exit semantics are on this version. Its no-op INT trap keeps it alive
        // through a Ctrl-C meant for the command (which gets SIGINT's default back: exec resets trapped signals).
        args.AddRange(["/bin/sh", "-c", "trap : INT; \"$@\"; echo \"__EXIT__ $?\"; sleep 600", "sh", .. command]);
        var started = await session.TmuxAsync([.. args]);
        if (started.ExitCode != 0)
        {
            await session.DisposeAsync();
            throw new InvalidOperationException($"tmux new-session failed: {started}");
        }

        return session;
    }

    /// <summary>Types text literally, then Enter if asked.</summary>
    public async Task SendKeysAsync(string text, bool enter = true)
    {
        await TmuxAsync(["send-keys", "-t", "main", "-l", text]);
        if (enter)
        {
            await TmuxAsync(["send-keys", "-t", "main", "Enter"]);
        }
    }

    /// <summary>Presses a key by tmux name (<c>C-c</c> sends the terminal's interrupt: SIGINT to the foreground process group).</summary>
    public Task PressAsync(string key) => TmuxAsync(["send-keys", "-t", "main", key]);

    public async Task<string> CaptureAsync()
        => (await TmuxAsync(["capture-pane", "-p", "-J", "-t", "main", "-S", "-200"])).Stdout;

    /// <summary>Polls the screen until the predicate holds; throws with the screen if it never does.</summary>
    public async Task<string> WaitForScreenAsync(Func<string, bool> predicate, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        var screen = "";
        while (DateTime.UtcNow < deadline)
        {
            screen = await CaptureAsync();
            if (predicate(screen))
            {
                return screen;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"terminal never showed {what} within {timeout.TotalSeconds:0} s; screen:\n{screen}");
    }

    /// <summary>Waits for the pane's command to exit and returns its exit status.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var match = System.Text.RegularExpressions.Regex.Match(await CaptureAsync(), @"__EXIT__ (\d+)");
            if (match.Success)
            {
                return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"the terminal's command did not exit within {timeout.TotalSeconds:0} s; screen:\n{await CaptureAsync()}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await TmuxAsync(["kill-server"]);
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            // Best effort: the server may already be gone.
        }

        File.Delete(_socket);
    }

    private Task<CommandResult> TmuxAsync(string[] args)
        => ProcessRunner.RunAsync(TmuxPath, ["-S", _socket, "-f", "/dev/null", .. args], timeout: CommandTimeout);
}

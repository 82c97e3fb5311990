namespace Berth.Runtime.Monitor;

/// <summary>
/// berth-monitor's command line. berthd starts one monitor per container; the flags say where the container's
/// bundle, log, exit file and sockets live (the same layout conmon used, so containers of either survive an upgrade).
/// </summary>
internal sealed record MonitorOptions(
    string Id,
    string Runtime,
    IReadOnlyList<string> RuntimeArguments,
    string Bundle,
    string PidFile,
    string MonitorPidFile,
    string? LogPath,
    string ExitDir,
    string PersistDir,
    string? OomFile,
    bool Tty,
    bool Stdin,
    bool LeaveStdinOpen)
{
    public static MonitorOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var runtimeArgs = new List<string>();
        bool tty = false, stdin = false, leaveOpen = false;
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            switch (a)
            {
                case "--tty": tty = true; continue;
                case "--stdin": stdin = true; continue;
                case "--leave-stdin-open": leaveOpen = true; continue;
            }
            if (!a.StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count) throw new FormatException($"unexpected argument {a}");
            var value = args[++i];
            if (a == "--runtime-arg") runtimeArgs.Add(value);
            else values[a[2..]] = value;
        }
        string Required(string name) => values.TryGetValue(name, out var v) && v.Length > 0 ? v : throw new FormatException($"--{name} is required");
        string? Optional(string name) => values.TryGetValue(name, out var v) && v.Length > 0 ? v : null;
        var known = new HashSet<string>(StringComparer.Ordinal) { "id", "runtime", "bundle", "pid-file", "monitor-pid-file", "log", "exit-dir", "persist-dir", "oom-file" };
        if (values.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown) throw new FormatException($"unknown flag --{unknown}");
        return new MonitorOptions(Required("id"), Required("runtime"), runtimeArgs, Required("bundle"), Required("pid-file"),
            Required("monitor-pid-file"), Optional("log"), Required("exit-dir"), Required("persist-dir"), Optional("oom-file"), tty, stdin, leaveOpen);
    }

    /// <summary>The command line for these options (what berthd runs).</summary>
    public IReadOnlyList<string> ToArguments()
    {
        var args = new List<string> { "--id", Id, "--runtime", Runtime };
        foreach (var r in RuntimeArguments) args.AddRange(["--runtime-arg", r]);
        args.AddRange(["--bundle", Bundle, "--pid-file", PidFile, "--monitor-pid-file", MonitorPidFile, "--exit-dir", ExitDir, "--persist-dir", PersistDir]);
        if (LogPath is not null) args.AddRange(["--log", LogPath]);
        if (OomFile is not null) args.AddRange(["--oom-file", OomFile]);
        if (Tty) args.Add("--tty");
        if (Stdin) args.Add("--stdin");
        if (LeaveStdinOpen) args.Add("--leave-stdin-open");
        return args;
    }
}

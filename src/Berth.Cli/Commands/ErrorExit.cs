namespace Berth.Cli.Commands;

/// <summary>docker run/create/start exit codes for a daemon error: 127 not found, 126 cannot execute, else 125.</summary>
internal static class ErrorExit
{
    public static int For(string message)
    {
        if (message.Contains("executable file not found", StringComparison.Ordinal) || message.Contains("no such file or directory", StringComparison.Ordinal)) return 127;
        if (message.Contains("permission denied", StringComparison.Ordinal) || message.Contains("is a directory", StringComparison.Ordinal)) return 126;
        return 125;
    }

    /// <summary>Prints like docker's run: "docker: Error response from daemon: …" plus the help hint.</summary>
    public static int Print(CliContext ctx, string command, string message, bool fromDaemon = true)
    {
        ctx.Out.Flush();
        ctx.Err.WriteLine($"berth: {(fromDaemon ? "Error response from daemon: " : "")}{message}\n\nRun 'berth {command} --help' for more information");
        return For(message);
    }
}

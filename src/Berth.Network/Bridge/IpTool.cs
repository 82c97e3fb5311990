using System.Diagnostics;

namespace Berth.Network.Bridge;

/// <summary>
/// The one way we run iproute2 (<c>ip</c>): an argument list (never a shell string), stderr in the error. Used for the
/// link operations that need netlink attributes the ioctls lack (bridges, veth pairs with a peer in another namespace).
/// </summary>
public static class IpTool
{
    private static readonly string IpPath = new[] { "/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip" }.FirstOrDefault(File.Exists) ?? "ip";

    public static async Task RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        var (code, stderr) = await ExecAsync(IpPath, args, null, ct);
        if (code != 0) throw new IOException($"ip {string.Join(' ', args)}: {stderr.Trim()}");
    }

    /// <summary>Runs <c>ip -batch -</c>: many commands for the price of one process. <c>-force</c> keeps going past errors when asked.</summary>
    public static async Task BatchAsync(IEnumerable<string> lines, bool force, CancellationToken ct)
    {
        string[] args = force ? ["-force", "-batch", "-"] : ["-batch", "-"];
        var (code, stderr) = await ExecAsync(IpPath, args, string.Join('\n', lines) + "\n", ct);
        if (code != 0 && !force) throw new IOException($"ip -batch: {stderr.Trim()}");
    }

    internal static async Task<(int Code, string Stderr)> ExecAsync(string file, IReadOnlyList<string> args, string? stdin, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardInput = stdin is not null, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new IOException($"could not start {file}");
        // Process.Dispose does not close streams the caller has touched: without these, two pipe fds per call wait for the GC.
        using var stderrReader = p.StandardError;
        using var stdoutReader = p.StandardOutput;
        var stderrTask = stderrReader.ReadToEndAsync(ct);
        var stdoutTask = stdoutReader.ReadToEndAsync(ct);
        if (stdin is not null)
        {
            await p.StandardInput.WriteAsync(stdin.AsMemory(), ct);
            p.StandardInput.Close();
        }
        await p.WaitForExitAsync(ct);
        await stdoutTask;
        return (p.ExitCode, await stderrTask);
    }
}

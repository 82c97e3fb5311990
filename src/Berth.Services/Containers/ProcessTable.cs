using System.Diagnostics;
using Berth.Api.Models.Containers;
using Berth.Core.Errors;

namespace Berth.Services.Containers;

/// <summary><c>docker top</c>: runs the host's <c>ps</c> with the user's options and keeps the rows of the container's pids, as moby does.</summary>
internal static class ProcessTable
{
    public static async Task<ContainerTopResponse> ReadAsync(IReadOnlyList<int> pids, string psArgs, CancellationToken ct)
    {
        var psi = new ProcessStartInfo("ps") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in psArgs.Split(' ', StringSplitOptions.RemoveEmptyEntries)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start ps");
        // Process.Dispose does not close streams the caller has touched: without these, two pipe fds per call wait for the GC.
        using var stdoutReader = p.StandardOutput;
        using var stderrReader = p.StandardError;
        var stdout = stdoutReader.ReadToEndAsync(ct);
        var stderr = stderrReader.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        if (p.ExitCode != 0) throw new InvalidArgumentException($"ps: {(await stderr).Trim()}");
        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0) return new ContainerTopResponse();
        var titles = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var pidIndex = titles.IndexOf("PID");
        if (pidIndex < 0) throw new InvalidArgumentException("Couldn't find PID field in ps output");
        var wanted = pids.ToHashSet();
        var result = new ContainerTopResponse { Titles = titles };
        foreach (var line in lines.Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < titles.Count || !int.TryParse(fields[pidIndex], out var pid) || !wanted.Contains(pid)) continue;
            var row = fields.Take(titles.Count - 1).ToList();
            row.Add(string.Join(' ', fields.Skip(titles.Count - 1)));
            result.Processes.Add(row);
        }
        return result;
    }
}

using System.Runtime.InteropServices;
using Berth.Runtime.Interop;

namespace Berth.Runtime.Cli;

/// <summary>
/// A copy of the crun binary in a sealed memfd that the daemon holds open for its whole life, executed as
/// <c>/proc/&lt;berthd&gt;/fd/&lt;n&gt;</c>. crun protects itself against CVE-2019-5736 (a container overwriting the
/// host's runtime through /proc/self/exe) by re-executing itself from a read-only copy at the start of EVERY call: a
/// bind mount, a remount, a lazy unmount and a second execve with all its shared libraries. It skips that when it
/// already runs from a fully sealed memfd (crun's is_self_cloned: "sharing it isn't a bad thing"), which is what this
/// is: the same protection, paid once per daemon instead of once per `crun create`, `crun delete`, `crun kill`.
/// Measured on a loaded machine: `crun --version` 57 ms from /usr/bin/crun, 17 ms from a sealed read-only copy.
/// A crun upgraded on disk is picked up at the daemon's next start.
/// </summary>
internal static class SealedRuntimeBinary
{
    // One sealed copy per binary per process (tests make many runtimes; each copy is an fd and the binary's size in shmem).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string?> s_copies = new(StringComparer.Ordinal);

    /// <summary>Returns the path to execute, or null (and the caller keeps the real path) when sealing is not possible.</summary>
    internal static string? TryCreate(string binaryPath, ILogSink? log) => s_copies.GetOrAdd(binaryPath, p => Create(p, log));

    private static string? Create(string binaryPath, ILogSink? log)
    {
        var fd = Libc.MemfdCreate(Path.GetFileName(binaryPath), Libc.MFD_CLOEXEC | Libc.MFD_ALLOW_SEALING);
        if (fd < 0)
        {
            log?.Write($"runtime: memfd_create failed ({Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}); running {binaryPath} directly");
            return null;
        }
        try
        {
            Libc.WriteAll(fd, File.ReadAllBytes(binaryPath));
            const int seals = Libc.F_SEAL_SEAL | Libc.F_SEAL_SHRINK | Libc.F_SEAL_GROW | Libc.F_SEAL_WRITE;
            if (Libc.Fcntl(fd, Libc.F_ADD_SEALS, seals) != 0) throw new IOException($"sealing: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            var path = $"/proc/{Environment.ProcessId}/fd/{fd}";
            fd = -1;   // deliberately never closed: the path lives as long as the daemon
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log?.Write($"runtime: cannot make a sealed copy of {binaryPath} ({e.Message}); running it directly");
            return null;
        }
        finally
        {
            if (fd >= 0) Libc.Close(fd);
        }
    }
}

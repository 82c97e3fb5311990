using System.Runtime.InteropServices;

namespace Berth.Runtime.Interop;

/// <summary>
/// What a child gets: its program, arguments and environment, and its descriptors (files opened for it, then
/// descriptors of ours duplicated onto its numbers). Nothing else of ours reaches it: our descriptors are close-on-exec.
/// </summary>
internal sealed record SpawnPlan(string Path, IReadOnlyList<string> Arguments, IReadOnlyList<string> Environment)
{
    public IReadOnlyList<(int Target, string Path, int Flags)> OpenFiles { get; init; } = [];

    /// <summary>Our descriptor Source becomes the child's Target (dup2, which clears close-on-exec on the copy).</summary>
    public IReadOnlyList<(int Target, int Source)> Descriptors { get; init; } = [];

    public string? WorkingDirectory { get; init; }

    /// <summary>The child leads a new session (setsid), so nothing of our terminal or process group reaches it.</summary>
    public bool NewSession { get; init; }
}

/// <summary>
/// posix_spawn without .NET's Process: no redirection threads, no SIGCHLD bookkeeping, and the child's signal
/// dispositions reset to default (.NET ignores SIGPIPE, and an ignored disposition would survive exec into a container).
/// </summary>
internal static class Spawner
{
    private const short POSIX_SPAWN_SETSID = 0x80;

    public static unsafe int Spawn(SpawnPlan plan)
    {
        var fa = NativeMemory.AllocZeroed(512);
        var attr = NativeMemory.AllocZeroed(1024);
        var sigs = NativeMemory.AllocZeroed(256);
        var strings = new List<nint>();
        try
        {
            Libc.FileActionsInit(fa);
            foreach (var (target, path, flags) in plan.OpenFiles) Libc.FileActionsAddOpen(fa, target, path, flags, 0x180);
            foreach (var (target, source) in plan.Descriptors) Libc.FileActionsAddDup2(fa, source, target);
            if (plan.WorkingDirectory is { } cwd) Libc.FileActionsAddChdir(fa, cwd);
            Libc.SpawnAttrInit(attr);
            Libc.SpawnAttrSetFlags(attr, (short)(Libc.POSIX_SPAWN_SETSIGMASK | Libc.POSIX_SPAWN_SETSIGDEF | (plan.NewSession ? POSIX_SPAWN_SETSID : 0)));
            Libc.SigEmptySet(sigs);
            Libc.SpawnAttrSetSigMask(attr, sigs);
            Libc.SigFillSet(sigs);
            Libc.SpawnAttrSetSigDefault(attr, sigs);

            var argv = stackalloc byte*[plan.Arguments.Count + 2];
            argv[0] = Utf8(plan.Path, strings);
            for (var i = 0; i < plan.Arguments.Count; i++) argv[i + 1] = Utf8(plan.Arguments[i], strings);
            argv[plan.Arguments.Count + 1] = null;
            var envp = stackalloc byte*[plan.Environment.Count + 1];
            for (var i = 0; i < plan.Environment.Count; i++) envp[i] = Utf8(plan.Environment[i], strings);
            envp[plan.Environment.Count] = null;

            int pid;
            var rc = Libc.PosixSpawn(&pid, argv[0], fa, attr, argv, envp);
            if (rc != 0) throw new IOException($"cannot start {plan.Path}: {Marshal.GetPInvokeErrorMessage(rc)}");
            return pid;
        }
        finally
        {
            Libc.FileActionsDestroy(fa);
            Libc.SpawnAttrDestroy(attr);
            NativeMemory.Free(fa);
            NativeMemory.Free(attr);
            NativeMemory.Free(sigs);
            foreach (var s in strings) Marshal.FreeCoTaskMem(s);
        }
    }

    /// <summary>Waits for a child and returns its exit code (128 + signal when killed); 0 if it was reaped elsewhere.</summary>
    public static unsafe int Wait(int pid)
    {
        int status;
        while (Libc.WaitPid(pid, &status, 0) < 0)
        {
            if (Marshal.GetLastPInvokeError() != Libc.EINTR) return 0;
        }
        return ExitCode(status);
    }

    /// <summary>A wait status as a shell would report it: the exit code, or 128 + the signal that killed it.</summary>
    public static int ExitCode(int status) => (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);

    /// <summary>The PATH a spawned helper gets: ours, or the usual directories.</summary>
    public static string PathVariable =>
        "PATH=" + (System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");

    private static unsafe byte* Utf8(string s, List<nint> owned)
    {
        var p = Marshal.StringToCoTaskMemUTF8(s);
        owned.Add(p);
        return (byte*)p;
    }
}

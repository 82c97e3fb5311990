namespace Berth.Runtime.Oci;

/// <summary>Host facts the spec depends on, separated so the builder is deterministic under test.</summary>
internal sealed record SpecContext(int CgroupVersion, bool SwapLimitSupported, ulong NoFileSoft, ulong NoFileHard, string Arch, Version Kernel)
{
    internal static unsafe SpecContext FromHost()
    {
        var lim = stackalloc ulong[2];
        ulong soft = 1024, hard = 1024;
        if (Interop.Libc.GetRlimit(7 /* RLIMIT_NOFILE */, lim) == 0) (soft, hard) = (lim[0], lim[1]);
        // Never ask for more than we hold: raising above our own hard limit fails with EPERM (DESIGN pitfalls).
        const ulong Cap = 1048576;
        return new SpecContext(CgroupInfo.Version, CgroupInfo.SwapLimitSupported, Math.Min(soft, Cap), Math.Min(hard, Cap),
            SeccompProfile.HostArch, KernelVersion());
    }

    private static Version KernelVersion()
    {
        var release = Environment.OSVersion.Version;
        return release.Major > 0 ? new Version(release.Major, Math.Max(release.Minor, 0)) : new Version(4, 0);
    }
}

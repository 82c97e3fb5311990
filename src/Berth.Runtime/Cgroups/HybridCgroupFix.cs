using System.Runtime.InteropServices;
using Berth.Core.Errors;
using Berth.Runtime.Interop;

namespace Berth.Runtime.Cgroups;

/// <summary>
/// On hybrid hosts crun 1.8 refuses any container with cgroup settings ("cgroups in hybrid mode not supported") while the
/// empty v2 tree still offers a controller (hugetlb here). Mounting that controller as a v1 hierarchy takes it out of the
/// v2 tree (DESIGN pitfalls). If that cannot be done, say so plainly instead of failing every container later.
/// </summary>
internal static class HybridCgroupFix
{
    internal static void Apply(ILogSink? log)
    {
        if (CgroupInfo.Version != 1 || CgroupInfo.UnifiedMount is not { } unified) return;
        var leftover = Controllers(unified);
        if (leftover.Length == 0) return;
        foreach (var c in leftover)
        {
            if (CgroupInfo.ControllerMount(c) is not null) continue;
            var target = Path.Combine(CgroupInfo.Root, c);
            try
            {
                Directory.CreateDirectory(target);
                if (Libc.Mount("cgroup", target, "cgroup", 0, c) != 0)
                    throw new IOException(Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()));
                log?.Write($"runtime: mounted the {c} cgroup controller at {target} (it was left in the empty v2 tree of a hybrid host)");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new FailedPreconditionException(
                    $"cgroup hybrid mode: controller(s) {string.Join(",", leftover)} are attached to the v2 tree at {unified}, which crun refuses; " +
                    $"mounting {c} as a v1 hierarchy at {target} failed: {e.Message}. Mount it (mount -t cgroup -o {c} cgroup {target}) or boot with a pure v1 or v2 layout.", e);
            }
        }
        CgroupInfo.Refresh();
    }

    private static string[] Controllers(string unified)
    {
        try { return File.ReadAllText(Path.Combine(unified, "cgroup.controllers")).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); }
        catch (IOException) { return []; }
    }
}

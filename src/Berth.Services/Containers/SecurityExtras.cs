using Berth.Api.Models.Containers;
using Berth.Core.Errors;
using Berth.Runtime;

namespace Berth.Services.Containers;

/// <summary>The HostConfig fields beyond caps/seccomp that shape the process: <c>--init</c>, <c>--ulimit</c>, <c>--device</c>.</summary>
internal static class SecurityExtras
{
    /// <summary>Where Docker mounts its init inside the container; the process becomes <c>/sbin/docker-init -- CMD</c>.</summary>
    public const string InitPath = "/sbin/docker-init";

    // A static init is needed: it runs in the container's root, which may hold no libc (busybox).
    private static readonly string[] InitCandidates = ["/usr/bin/docker-init", "/usr/bin/tini-static", "/usr/libexec/podman/catatonit", "/usr/bin/catatonit"];

    public static void AddInit(HostConfig host, List<string> args, List<SpecMount> mounts)
    {
        if (host.Init is not true) return;
        var init = InitCandidates.FirstOrDefault(File.Exists)
            ?? throw new FailedPreconditionException("--init needs a static init on the host (Debian: apt-get install tini, which ships /usr/bin/tini-static)");
        args.InsertRange(0, [InitPath, "--"]);
        mounts.Add(new SpecMount(InitPath, "bind", init, ["bind", "ro", "rprivate"]));
    }

    public static IReadOnlyList<Rlimit>? Rlimits(HostConfig host) =>
        host.Ulimits is { Count: > 0 } u ? [.. u.Select(x => new Rlimit(x.Name ?? throw new InvalidArgumentException("invalid ulimit: no name"), x.Soft, x.Hard))] : null;

    public static IReadOnlyList<HostDevice>? Devices(HostConfig host) =>
        host.Devices is { Count: > 0 } devices
            ? [.. devices.Select(d => new HostDevice(d.PathOnHost ?? "", string.IsNullOrEmpty(d.PathInContainer) ? d.PathOnHost ?? "" : d.PathInContainer,
                string.IsNullOrEmpty(d.CgroupPermissions) ? "rwm" : d.CgroupPermissions))]
            : null;
}

using Berth.Api.Models.Containers;
using Berth.Core.Errors;
using Berth.Runtime;
using Berth.Services.Logs;

namespace Berth.Services.Containers;

/// <summary>Turns a container's stored configuration into what the runtime needs to launch it.</summary>
internal static class LaunchBuilder
{
    public static ContainerLaunch Build(ContainerDocument d, ContainerService containers)
    {
        var config = d.Config;
        var host = d.HostConfig;
        var env = new List<string>(config.Env ?? []);
        if (!env.Any(e => e.StartsWith("HOSTNAME=", StringComparison.Ordinal))) env.Add("HOSTNAME=" + config.Hostname);
        if (config.Tty && !env.Any(e => e.StartsWith("TERM=", StringComparison.Ordinal))) env.Add("TERM=xterm");
        var args = new List<string> { d.Path };
        args.AddRange(d.Args);
        var mounts = Mounts(d, containers);
        SecurityExtras.AddInit(host, args, mounts);
        var consoleSize = host.ConsoleSize is { Count: 2 } cs && cs[0] > 0 ? cs : null;
        var process = new ProcessSpec(args, env, string.IsNullOrEmpty(config.WorkingDir) ? "/" : config.WorkingDir, config.User ?? "",
            host.GroupAdd, consoleSize?[0], consoleSize?[1]);
        var bundle = Path.GetDirectoryName(d.HostsPath)!;
        return new ContainerLaunch(
            d.Id, bundle, d.RootfsDir, process, config.Hostname ?? d.Id[..12], config.Tty, config.OpenStdin, config.StdinOnce,
            LogDrivers.Writes(host.LogConfig?.Type) ? d.LogPath : "", mounts, Namespaces(d, containers), Resources(host), Security(d, bundle),
            Rlimits: SecurityExtras.Rlimits(host), Sysctls: host.Sysctls, Devices: SecurityExtras.Devices(host));
    }

    private static List<SpecMount> Mounts(ContainerDocument d, ContainerService containers)
    {
        var host = d.HostConfig;
        var mounts = new List<SpecMount>
        {
            new("/etc/resolv.conf", "bind", d.ResolvConfPath, ["rbind", "rprivate"]),
            new("/etc/hostname", "bind", d.HostnamePath, ["rbind", "rprivate"]),
            new("/etc/hosts", "bind", d.HostsPath, ["rbind", "rprivate"]),
        };
        mounts.AddRange(containers.BuildUserMounts(d));
        if (host.ShmSize > 0)
            mounts.Add(new SpecMount("/dev/shm", "tmpfs", "shm", ["nosuid", "noexec", "nodev", "mode=1777", $"size={host.ShmSize}"]));
        return mounts;
    }

    private static NamespaceOptions Namespaces(ContainerDocument d, ContainerService containers)
    {
        var mode = d.HostConfig.NetworkMode ?? "bridge";
        string network;
        if (mode == "host") network = "host";
        else if (mode.StartsWith("container:", StringComparison.Ordinal))
        {
            var other = containers.Get(mode["container:".Length..]);
            if (!other.Doc.State.Running) throw new ConflictException($"cannot join network namespace of a non running container: container {other.Id} is {other.Doc.State.Status}");
            network = $"ns:/proc/{other.Doc.State.Pid}/ns/net";
        }
        // Bridge networking is not wired yet: default containers get a private namespace with loopback only.
        else network = "none";
        return new NamespaceOptions(network, HostPid: d.HostConfig.PidMode == "host", HostIpc: d.HostConfig.IpcMode == "host", HostUts: d.HostConfig.UTSMode == "host");
    }

    public static ResourceLimits Resources(HostConfig h) => new(
        MemoryBytes: h.Memory > 0 ? h.Memory : null,
        MemorySwapBytes: h.MemorySwap != 0 ? h.MemorySwap : null,
        NanoCpus: h.NanoCpus > 0 ? h.NanoCpus : null,
        CpuShares: h.CpuShares > 0 ? h.CpuShares : null,
        CpuQuota: h.CpuQuota > 0 ? h.CpuQuota : null,
        CpuPeriod: h.CpuPeriod > 0 ? h.CpuPeriod : null,
        CpusetCpus: string.IsNullOrEmpty(h.CpusetCpus) ? null : h.CpusetCpus,
        PidsLimit: h.PidsLimit is > 0 ? h.PidsLimit : null,
        OomScoreAdj: h.OomScoreAdj != 0 ? h.OomScoreAdj : null);

    private static SecurityOptions Security(ContainerDocument d, string bundle)
    {
        var h = d.HostConfig;
        var noNewPrivileges = false;
        string? seccomp = null;
        foreach (var opt in h.SecurityOpt ?? [])
        {
            var sep = opt.IndexOfAny(['=', ':']);
            var key = sep < 0 ? opt : opt[..sep];
            var value = sep < 0 ? "" : opt[(sep + 1)..];
            switch (key)
            {
                case "no-new-privileges":
                    noNewPrivileges = value is "" or "true";
                    break;
                case "seccomp":
                    if (value == "unconfined") seccomp = "unconfined";
                    else if (value.TrimStart().StartsWith('{'))
                    {
                        // The docker CLI sends the profile's content, not its path.
                        seccomp = Path.Combine(bundle, "seccomp.json");
                        File.WriteAllText(seccomp, value);
                    }
                    else seccomp = value;
                    break;
                case "label" or "apparmor":
                    break; // SELinux and AppArmor are not available on these hosts; accepted as Docker does when disabled.
                default:
                    throw new InvalidArgumentException($"invalid --security-opt 2: \"{opt}\"");
            }
        }
        return new SecurityOptions(h.Privileged, h.CapAdd, h.CapDrop, noNewPrivileges, seccomp, h.ReadonlyRootfs, h.MaskedPaths, h.ReadonlyPaths);
    }
}

using System.Runtime.InteropServices;
using Berth.Api.Models.Engine;
using Berth.Services.Containers;
using Berth.Storage;

namespace Berth.Services.Engine;

/// <summary><c>/version</c> and <c>/info</c>.</summary>
public sealed class SystemService(DaemonOptions options, ContainerService containers, MetadataStore meta, string daemonId)
{
    public const string ApiVersion = "1.50";
    public const string MinApiVersion = "1.24";
    public const string GitCommit = "berth";

    public SystemVersion Version()
    {
        var kernel = KernelVersion();
        var details = new Dictionary<string, string>
        {
            ["ApiVersion"] = ApiVersion,
            ["Arch"] = "amd64",
            ["BuildTime"] = "",
            ["Experimental"] = "false",
            ["GitCommit"] = GitCommit,
            ["GoVersion"] = "dotnet" + Environment.Version,
            ["KernelVersion"] = kernel,
            ["MinAPIVersion"] = MinApiVersion,
            ["Os"] = "linux",
        };
        return new SystemVersion
        {
            Platform = new VersionPlatform { Name = "Berth Engine" },
            Components =
            [
                new VersionComponent { Name = "Engine", Version = options.EngineVersion, Details = details },
                new VersionComponent { Name = options.RuntimeName, Version = "", Details = new() { ["GitCommit"] = "" } },
            ],
            Version = options.EngineVersion,
            ApiVersion = ApiVersion,
            MinAPIVersion = MinApiVersion,
            GitCommit = GitCommit,
            GoVersion = "dotnet" + Environment.Version,
            KernelVersion = kernel,
            Arch = "amd64",
            Os = "linux",
        };
    }

    public SystemInfo Info()
    {
        var all = containers.All.ToList();
        var running = all.Count(c => c.Doc.State.Running && !c.Doc.State.Paused);
        var paused = all.Count(c => c.Doc.State.Paused);
        return new SystemInfo
        {
            ID = daemonId,
            Name = Environment.MachineName,
            Containers = all.Count,
            ContainersRunning = running,
            ContainersPaused = paused,
            ContainersStopped = all.Count - running - paused,
            Images = meta.ListImages().Count,
            DockerRootDir = options.DataRoot,
            DriverStatus = [["Backing Filesystem", "extfs"], ["Supports d_type", "true"]],
            KernelVersion = KernelVersion(),
            OperatingSystem = OsName(),
            OSVersion = OsVersion(),
            NCPU = Environment.ProcessorCount,
            MemTotal = MemTotal(),
            ServerVersion = options.EngineVersion,
            SystemTime = Timestamps.Format(DateTimeOffset.UtcNow),
            CgroupVersion = Directory.Exists("/sys/fs/cgroup/memory") ? "1" : "2",
            DefaultRuntime = options.RuntimeName,
            Runtimes = new() { ["crun"] = new RuntimeInfo { Path = "crun" }, ["runc"] = new RuntimeInfo { Path = "runc" } },
            SecurityOptions = ["name=seccomp,profile=builtin"],
            Architecture = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "aarch64" : "x86_64",
        };
    }

    private static string KernelVersion() => ReadFirstLine("/proc/sys/kernel/osrelease") ?? "";

    private static string OsName() => OsRelease("PRETTY_NAME") ?? "Linux";

    private static string OsVersion() => OsRelease("VERSION_ID") ?? "";

    private static string? OsRelease(string key)
    {
        if (!File.Exists("/etc/os-release")) return null;
        foreach (var line in File.ReadLines("/etc/os-release"))
            if (line.StartsWith(key + "=", StringComparison.Ordinal)) return line[(key.Length + 1)..].Trim('"');
        return null;
    }

    private static long MemTotal()
    {
        var line = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) : null;
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    private static string? ReadFirstLine(string path) => File.Exists(path) ? File.ReadLines(path).FirstOrDefault()?.Trim() : null;
}

using Berth.Api.Models.Containers;

namespace Berth.Builder.Execution;

/// <summary>Deep copies of a container config, so a step's changes never leak into its parent's (moby's copyRunConfig).</summary>
internal static class ConfigCopy
{
    public static ContainerConfig Clone(ContainerConfig c) => new()
    {
        Hostname = c.Hostname,
        Domainname = c.Domainname,
        User = c.User,
        AttachStdin = c.AttachStdin,
        AttachStdout = c.AttachStdout,
        AttachStderr = c.AttachStderr,
        ExposedPorts = c.ExposedPorts is null ? null : new(c.ExposedPorts),
        Tty = c.Tty,
        OpenStdin = c.OpenStdin,
        StdinOnce = c.StdinOnce,
        Env = c.Env is null ? null : [.. c.Env],
        Cmd = c.Cmd is null ? null : [.. c.Cmd],
        Healthcheck = c.Healthcheck is null ? null : new HealthConfig
        {
            Test = c.Healthcheck.Test is null ? null : [.. c.Healthcheck.Test],
            Interval = c.Healthcheck.Interval,
            Timeout = c.Healthcheck.Timeout,
            Retries = c.Healthcheck.Retries,
            StartPeriod = c.Healthcheck.StartPeriod,
            StartInterval = c.Healthcheck.StartInterval,
        },
        ArgsEscaped = c.ArgsEscaped,
        Image = c.Image,
        Volumes = c.Volumes is null ? null : new(c.Volumes),
        WorkingDir = c.WorkingDir,
        Entrypoint = c.Entrypoint is null ? null : [.. c.Entrypoint],
        NetworkDisabled = c.NetworkDisabled,
        MacAddress = c.MacAddress,
        OnBuild = c.OnBuild is null ? null : [.. c.OnBuild],
        Labels = c.Labels is null ? null : new(c.Labels),
        StopSignal = c.StopSignal,
        StopTimeout = c.StopTimeout,
        Shell = c.Shell is null ? null : [.. c.Shell],
    };
}

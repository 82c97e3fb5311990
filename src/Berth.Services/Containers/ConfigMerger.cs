using Berth.Api.Models.Containers;

namespace Berth.Services.Containers;

/// <summary>How a create request's config combines with the image's, as Docker's daemon/create.go merge does.</summary>
internal static class ConfigMerger
{
    public static ContainerConfig Merge(ContainerConfig user, ContainerConfig image)
    {
        // Entrypoint [""] (or []) given explicitly clears the image's entrypoint; null means "inherit".
        var entrypointCleared = user.Entrypoint is not null && (user.Entrypoint.Count == 0 || (user.Entrypoint.Count == 1 && user.Entrypoint[0].Length == 0));
        if (entrypointCleared) user.Entrypoint = null;
        else if (user.Entrypoint is null)
        {
            user.Entrypoint = image.Entrypoint is null ? null : [.. image.Entrypoint];
            if (user.Cmd is null || user.Cmd.Count == 0) user.Cmd = image.Cmd is null ? null : [.. image.Cmd];
        }
        // A new entrypoint without a command does not inherit the image's command (Docker resets Cmd then).
        user.Env = MergeEnv(image.Env, user.Env);
        if (string.IsNullOrEmpty(user.WorkingDir)) user.WorkingDir = image.WorkingDir;
        if (string.IsNullOrEmpty(user.User)) user.User = image.User;
        if (image.ExposedPorts is not null)
        {
            user.ExposedPorts ??= [];
            foreach (var (k, v) in image.ExposedPorts) user.ExposedPorts.TryAdd(k, v);
        }
        if (image.Volumes is not null)
        {
            user.Volumes ??= [];
            foreach (var (k, v) in image.Volumes) user.Volumes.TryAdd(k, v);
        }
        if (image.Labels is not null)
        {
            user.Labels ??= [];
            foreach (var (k, v) in image.Labels) user.Labels.TryAdd(k, v);
        }
        user.Labels ??= [];
        if (string.IsNullOrEmpty(user.StopSignal)) user.StopSignal = image.StopSignal;
        user.Healthcheck = MergeHealthcheck(user.Healthcheck, image.Healthcheck);
        user.OnBuild ??= image.OnBuild;
        user.Shell ??= image.Shell;
        return user;
    }

    /// <summary>moby merges the healthcheck field by field: what the user left unset comes from the image's HEALTHCHECK.</summary>
    internal static HealthConfig? MergeHealthcheck(HealthConfig? user, HealthConfig? image)
    {
        if (user is null || image is null) return user ?? image;
        if (user.Test is not { Count: > 0 }) user.Test = image.Test;
        if (user.Interval == 0) user.Interval = image.Interval;
        if (user.Timeout == 0) user.Timeout = image.Timeout;
        if (user.StartPeriod == 0) user.StartPeriod = image.StartPeriod;
        if (user.StartInterval == 0) user.StartInterval = image.StartInterval;
        if (user.Retries == 0) user.Retries = image.Retries;
        return user;
    }

    public static List<string> MergeEnv(List<string>? image, List<string>? user)
    {
        var result = new List<string>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in (image ?? []).Concat(user ?? []))
        {
            var eq = entry.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? entry : entry[..eq];
            if (index.TryGetValue(key, out var at)) result[at] = entry;
            else { index[key] = result.Count; result.Add(entry); }
        }
        if (!index.ContainsKey("PATH")) result.Insert(0, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        return result;
    }

    public static (string Path, List<string> Args) PathAndArgs(ContainerConfig config)
    {
        var all = (config.Entrypoint ?? []).Concat(config.Cmd ?? []).ToList();
        return all.Count == 0 ? ("", []) : (all[0], all.Skip(1).ToList());
    }
}

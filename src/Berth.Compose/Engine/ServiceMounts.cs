using Berth.Api.Models.Containers;
using Berth.Compose.Model;

namespace Berth.Compose.Engine;

/// <summary>
/// A service's <c>volumes</c>, <c>secrets</c> and <c>configs</c> as mounts. Short-syntax binds (which create a missing host
/// path) go in <c>Binds</c>, as docker/compose does for them; everything else through the Mount API. Secrets and configs
/// backed by a file are read-only binds at <c>/run/secrets/&lt;name&gt;</c> and <c>/&lt;name&gt;</c>; those given by
/// <c>environment</c> or <c>content</c> are no mounts: <see cref="InjectedFiles"/> writes them in before each start.
/// </summary>
public static class ServiceMounts
{
    public const string SecretsDir = "/run/secrets/";

    public static void Apply(ComposeProject project, ServiceConfig service, HostConfig host)
    {
        var binds = new List<string>();
        var mounts = new List<MountSpec>();
        foreach (var v in service.Volumes)
        {
            switch (v.Type)
            {
                case "bind" when v.Bind is { CreateHostPath: true } b && v.Bind.Propagation is null:
                    binds.Add(BindString(v.Source ?? "", v.Target, v.ReadOnly, b.SELinux));
                    break;
                case "bind":
                    mounts.Add(new MountSpec
                    {
                        Type = "bind",
                        Source = v.Source,
                        Target = v.Target,
                        ReadOnly = v.ReadOnly,
                        BindOptions = v.Bind?.Propagation is { } p ? new BindOptions { Propagation = p } : null,
                    });
                    break;
                case "volume":
                    mounts.Add(new MountSpec
                    {
                        Type = "volume",
                        Source = v.Source is null ? null : project.Volumes.TryGetValue(v.Source, out var vol) ? vol.Name : v.Source,
                        Target = v.Target,
                        ReadOnly = v.ReadOnly,
                        VolumeOptions = v.Volume is { } o && (o.NoCopy || o.Subpath is not null) ? new VolumeOptions { NoCopy = o.NoCopy, Subpath = o.Subpath } : null,
                    });
                    break;
                case "tmpfs":
                    mounts.Add(new MountSpec
                    {
                        Type = "tmpfs",
                        Target = v.Target,
                        ReadOnly = v.ReadOnly,
                        TmpfsOptions = v.Tmpfs is { } t ? new TmpfsOptions { SizeBytes = t.Size ?? 0, Mode = t.Mode ?? 0 } : null,
                    });
                    break;
                default:
                    throw new ComposeException($"service \"{service.Name}\": volume type \"{v.Type}\" is not supported");
            }
        }
        // Compose keeps one mount per target (the first reference wins); injected ones are copied in at start instead.
        var fileTargets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in service.Secrets)
        {
            if (FileMount(project.Secrets, s, "secret", SecretTarget(s)) is { } m && fileTargets.Add(m.Target!)) mounts.Add(m);
        }
        foreach (var c in service.Configs)
        {
            if (FileMount(project.Configs, c, "config", ConfigTarget(c)) is { } m && fileTargets.Add(m.Target!)) mounts.Add(m);
        }
        if (binds.Count > 0) host.Binds = binds;
        if (mounts.Count > 0) host.Mounts = mounts;
    }

    public static string BindString(string source, string target, bool readOnly, string? selinux)
    {
        var opts = new List<string>();
        if (readOnly) opts.Add("ro");
        if (!string.IsNullOrEmpty(selinux)) opts.Add(selinux);
        return opts.Count == 0 ? $"{source}:{target}" : $"{source}:{target}:{string.Join(',', opts)}";
    }

    /// <summary>docker/compose: a relative secret target lands under /run/secrets.</summary>
    public static string SecretTarget(ServiceFileReference s) =>
        string.IsNullOrEmpty(s.Target) ? SecretsDir + s.Source : s.Target.StartsWith('/') ? s.Target : SecretsDir + s.Target;

    /// <summary>docker/compose: a config without target lands at /&lt;name&gt;.</summary>
    public static string ConfigTarget(ServiceFileReference c) =>
        string.IsNullOrEmpty(c.Target) ? "/" + c.Source : c.Target.StartsWith('/') ? c.Target : "/" + c.Target;

    /// <summary>A file-backed secret or config as a read-only bind; null for one written in at start (<see cref="InjectedFiles"/>).</summary>
    private static MountSpec? FileMount(IReadOnlyDictionary<string, FileObjectConfig> defs, ServiceFileReference r, string kind, string target)
    {
        if (!defs.TryGetValue(r.Source, out var def)) throw new ComposeException($"{kind} \"{r.Source}\" is not defined");
        if (def.External) throw new ComposeException($"unsupported external {kind} {def.Name}");
        if (InjectedFiles.IsInjected(def)) return null;
        return new MountSpec { Type = "bind", Source = def.File, Target = target, ReadOnly = true };
    }
}

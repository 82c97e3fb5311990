using Berth.Compose.Loader;
using Berth.Compose.Model;
using Berth.Compose.Output;

namespace Berth.Compose;

/// <summary>Writes a normalized project as YAML like `docker compose config`: name first, then services (sorted), networks,
/// volumes, configs, secrets; long forms, interpolated values, absolute paths.</summary>
public static partial class ConfigWriter
{
    public static string ToYaml(ComposeProject project)
    {
        ArgumentNullException.ThrowIfNull(project);
        using var sw = new StringWriter();
        Write(project, sw);
        return sw.ToString();
    }

    public static void Write(ComposeProject project, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(project);
        var w = new YamlWriter(writer);
        w.BeginMap();
        w.Pair("name", project.Name);
        if (project.Services.Count > 0)
        {
            w.Key("services");
            w.BeginMap();
            foreach (var (name, s) in project.Services.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                w.Key(name);
                WriteService(w, s);
            }
            w.EndMap();
        }
        WriteNetworks(w, project.Networks);
        WriteVolumes(w, project.Volumes);
        WriteFileObjects(w, "configs", project.Configs);
        WriteFileObjects(w, "secrets", project.Secrets);
        w.EndMap();
        w.End();
    }

    private static void WriteNetworks(YamlWriter w, IReadOnlyDictionary<string, NetworkConfig> networks)
    {
        if (networks.Count == 0) return;
        w.Key("networks");
        w.BeginMap();
        foreach (var (key, n) in networks.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.Key(key);
            w.BeginMap();
            w.Pair("name", n.Name);
            w.Pair("driver", n.Driver);
            w.Map("driver_opts", n.DriverOpts);
            if (n.Ipam is { } ipam)
            {
                w.Key("ipam");
                w.BeginMap();
                w.Pair("driver", ipam.Driver);
                if (ipam.Config.Count > 0)
                {
                    w.Key("config");
                    w.BeginList();
                    foreach (var pool in ipam.Config)
                    {
                        w.BeginMap();
                        w.Pair("subnet", pool.Subnet);
                        w.Pair("gateway", pool.Gateway);
                        w.Pair("ip_range", pool.IpRange);
                        w.Map("aux_addresses", pool.AuxAddresses);
                        w.EndMap();
                    }
                    w.EndList();
                }
                w.Map("options", ipam.Options);
                w.EndMap();
            }
            w.Flag("external", n.External);
            w.Flag("internal", n.Internal);
            w.Flag("attachable", n.Attachable);
            if (n.EnableIpv6 is { } v6) { w.Key("enable_ipv6"); w.Bool(v6); }
            w.Map("labels", n.Labels);
            w.EndMap();
        }
        w.EndMap();
    }

    private static void WriteVolumes(YamlWriter w, IReadOnlyDictionary<string, VolumeConfig> volumes)
    {
        if (volumes.Count == 0) return;
        w.Key("volumes");
        w.BeginMap();
        foreach (var (key, v) in volumes.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.Key(key);
            w.BeginMap();
            w.Pair("name", v.Name);
            w.Pair("driver", v.Driver);
            w.Map("driver_opts", v.DriverOpts);
            w.Flag("external", v.External);
            w.Map("labels", v.Labels);
            w.EndMap();
        }
        w.EndMap();
    }

    private static void WriteFileObjects(YamlWriter w, string section, IReadOnlyDictionary<string, FileObjectConfig> objects)
    {
        if (objects.Count == 0) return;
        w.Key(section);
        w.BeginMap();
        foreach (var (key, o) in objects.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.Key(key);
            w.BeginMap();
            w.Pair("name", o.Name);
            w.Pair("file", o.File);
            w.Pair("environment", o.Environment);
            w.Pair("content", o.Content);
            w.Flag("external", o.External);
            w.Map("labels", o.Labels);
            w.EndMap();
        }
        w.EndMap();
    }

    private static string Duration(TimeSpan d) => Units.FormatDuration(d);
}

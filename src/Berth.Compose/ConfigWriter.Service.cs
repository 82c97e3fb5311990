using Berth.Compose.Model;
using Berth.Compose.Output;

namespace Berth.Compose;

public static partial class ConfigWriter
{

    // Keys in alphabetical order, which is (nearly) the order docker compose config prints.
    private static void WriteService(YamlWriter w, ServiceConfig s)
    {
        w.BeginMap();
        w.Map("annotations", s.Annotations);
        if (s.Build is { } b) WriteBuild(w, b);
        w.List("cap_add", s.CapAdd);
        w.List("cap_drop", s.CapDrop);
        if (s.Command is { } cmd) { w.Key("command"); WriteList(w, cmd); }
        WriteReferences(w, "configs", s.Configs);
        w.Pair("container_name", s.ContainerName);
        w.Pair("cpus", s.Cpus);
        if (s.DependsOn.Count > 0)
        {
            w.Key("depends_on");
            w.BeginMap();
            foreach (var (name, d) in s.DependsOn)
            {
                w.Key(name);
                w.BeginMap();
                w.Pair("condition", d.Condition);
                if (d.Restart) { w.Key("restart"); w.Bool(true); }
                w.Key("required");
                w.Bool(d.Required);
                w.EndMap();
            }
            w.EndMap();
        }
        if (s.Deploy is { } deploy) WriteDeploy(w, deploy);
        w.List("devices", s.Devices);
        w.List("dns", s.Dns);
        w.List("dns_opt", s.DnsOpt);
        w.List("dns_search", s.DnsSearch);
        w.Pair("domainname", s.DomainName);
        if (s.Entrypoint is { } ep) { w.Key("entrypoint"); WriteList(w, ep); }
        if (s.EnvFiles.Count > 0)
        {
            w.Key("env_file");
            w.BeginList();
            foreach (var f in s.EnvFiles)
            {
                w.BeginMap();
                w.Pair("path", f.Path);
                w.Key("required");
                w.Bool(f.Required);
                w.Pair("format", f.Format);
                w.EndMap();
            }
            w.EndList();
        }
        if (s.Environment.Count > 0)
        {
            w.Key("environment");
            w.BeginMap();
            foreach (var (k, v) in s.Environment.OrderBy(kv => kv.Key, StringComparer.Ordinal)) { w.Key(k); w.String(v); }
            w.EndMap();
        }
        w.List("expose", s.Expose);
        w.List("extra_hosts", s.ExtraHosts);
        w.List("group_add", s.GroupAdd);
        if (s.Healthcheck is { } h) WriteHealthcheck(w, h);
        w.Pair("hostname", s.Hostname);
        w.Pair("image", s.Image);
        if (s.Init is { } init) { w.Key("init"); w.Bool(init); }
        w.Pair("ipc", s.Ipc);
        w.Map("labels", s.Labels);
        w.List("links", s.Links);
        if (s.Logging is { } log)
        {
            w.Key("logging");
            w.BeginMap();
            w.Pair("driver", log.Driver);
            w.Map("options", log.Options);
            w.EndMap();
        }
        w.Pair("mac_address", s.MacAddress);
        w.Pair("mem_limit", s.MemLimit);
        w.Pair("network_mode", s.NetworkMode);
        if (s.Networks.Count > 0) WriteServiceNetworks(w, s.Networks);
        w.Pair("pid", s.Pid);
        w.Pair("platform", s.Platform);
        if (s.Ports.Count > 0) WritePorts(w, s.Ports);
        w.Flag("privileged", s.Privileged);
        w.List("profiles", s.Profiles);
        w.Pair("pull_policy", s.PullPolicy);
        w.Flag("read_only", s.ReadOnly);
        w.Pair("restart", s.Restart);
        w.Pair("scale", s.Scale);
        WriteReferences(w, "secrets", s.Secrets);
        w.List("security_opt", s.SecurityOpt);
        w.Pair("shm_size", s.ShmSize);
        w.Flag("stdin_open", s.StdinOpen);
        if (s.StopGracePeriod is { } sgp) w.Pair("stop_grace_period", Duration(sgp));
        w.Pair("stop_signal", s.StopSignal);
        w.Map("sysctls", s.Sysctls);
        w.List("tmpfs", s.Tmpfs);
        w.Flag("tty", s.Tty);
        if (s.Ulimits.Count > 0)
        {
            w.Key("ulimits");
            w.BeginMap();
            foreach (var (name, u) in s.Ulimits)
            {
                w.Key(name);
                if (u.Soft == u.Hard) { w.Number(u.Soft); continue; }
                w.BeginMap();
                w.Pair("soft", u.Soft);
                w.Pair("hard", u.Hard);
                w.EndMap();
            }
            w.EndMap();
        }
        w.Pair("user", s.User);
        if (s.Volumes.Count > 0) WriteVolumeMounts(w, s.Volumes);
        w.Pair("working_dir", s.WorkingDir);
        w.EndMap();
    }

    private static void WriteList(YamlWriter w, IReadOnlyList<string> items)
    {
        w.BeginList();
        foreach (var i in items) w.String(i);
        w.EndList();
    }

    private static void WriteBuild(YamlWriter w, BuildConfig b)
    {
        w.Key("build");
        w.BeginMap();
        w.Pair("context", b.Context);
        w.Pair("dockerfile", b.Dockerfile);
        w.Pair("dockerfile_inline", b.DockerfileInline);
        if (b.Args.Count > 0)
        {
            w.Key("args");
            w.BeginMap();
            foreach (var (k, v) in b.Args) { w.Key(k); w.String(v); }
            w.EndMap();
        }
        w.Pair("target", b.Target);
        w.Map("labels", b.Labels);
        w.List("cache_from", b.CacheFrom);
        w.List("cache_to", b.CacheTo);
        w.Pair("network", b.Network);
        w.List("tags", b.Tags);
        w.List("extra_hosts", b.ExtraHosts);
        w.Flag("no_cache", b.NoCache);
        w.Flag("pull", b.Pull);
        w.Pair("shm_size", b.ShmSize);
        w.List("platforms", b.Platforms);
        w.EndMap();
    }

    private static void WriteDeploy(YamlWriter w, DeployConfig d)
    {
        w.Key("deploy");
        w.BeginMap();
        w.Pair("mode", d.Mode);
        w.Pair("replicas", d.Replicas);
        w.Map("labels", d.Labels);
        if (d.Limits is not null || d.Reservations is not null)
        {
            w.Key("resources");
            w.BeginMap();
            WriteLimits(w, "limits", d.Limits);
            WriteLimits(w, "reservations", d.Reservations);
            w.EndMap();
        }
        w.EndMap();
    }

    private static void WriteLimits(YamlWriter w, string key, ResourceLimits? l)
    {
        if (l is null) return;
        w.Key(key);
        w.BeginMap();
        w.Pair("cpus", l.Cpus);
        w.Pair("memory", l.Memory);
        w.Pair("pids", l.Pids);
        w.EndMap();
    }

    private static void WriteHealthcheck(YamlWriter w, HealthcheckConfig h)
    {
        w.Key("healthcheck");
        w.BeginMap();
        if (h.Test is { } t) { w.Key("test"); WriteList(w, t); }
        if (h.Timeout is { } to) w.Pair("timeout", Duration(to));
        if (h.Interval is { } i) w.Pair("interval", Duration(i));
        w.Pair("retries", h.Retries);
        if (h.StartPeriod is { } sp) w.Pair("start_period", Duration(sp));
        if (h.StartInterval is { } si) w.Pair("start_interval", Duration(si));
        w.Flag("disable", h.Disable);
        w.EndMap();
    }

    private static void WriteServiceNetworks(YamlWriter w, IReadOnlyDictionary<string, ServiceNetworkConfig> networks)
    {
        w.Key("networks");
        w.BeginMap();
        foreach (var (name, n) in networks)
        {
            w.Key(name);
            if (n.Aliases.Count == 0 && n.Ipv4Address is null && n.Ipv6Address is null && n.MacAddress is null && n.Priority == 0) { w.Null(); continue; }
            w.BeginMap();
            w.List("aliases", n.Aliases);
            w.Pair("ipv4_address", n.Ipv4Address);
            w.Pair("ipv6_address", n.Ipv6Address);
            w.Pair("mac_address", n.MacAddress);
            if (n.Priority != 0) w.Pair("priority", n.Priority);
            w.EndMap();
        }
        w.EndMap();
    }

    private static void WritePorts(YamlWriter w, IReadOnlyList<PortConfig> ports)
    {
        w.Key("ports");
        w.BeginList();
        foreach (var p in ports)
        {
            w.BeginMap();
            w.Pair("name", p.Name);
            w.Pair("mode", p.Mode);
            w.Pair("host_ip", p.HostIp);
            w.Pair("target", p.Target);
            w.Pair("published", p.Published);
            w.Pair("protocol", p.Protocol);
            w.Pair("app_protocol", p.AppProtocol);
            w.EndMap();
        }
        w.EndList();
    }

    private static void WriteVolumeMounts(YamlWriter w, IReadOnlyList<ServiceVolumeConfig> volumes)
    {
        w.Key("volumes");
        w.BeginList();
        foreach (var v in volumes)
        {
            w.BeginMap();
            w.Pair("type", v.Type);
            w.Pair("source", v.Source);
            w.Pair("target", v.Target);
            w.Flag("read_only", v.ReadOnly);
            w.Pair("consistency", v.Consistency);
            if (v.Bind is { } b)
            {
                w.Key("bind");
                w.BeginMap();
                w.Pair("propagation", b.Propagation);
                w.Key("create_host_path");
                w.Bool(b.CreateHostPath);
                w.Pair("selinux", b.SELinux);
                w.EndMap();
            }
            if (v.Volume is { } vol)
            {
                w.Key("volume");
                w.BeginMap();
                w.Flag("nocopy", vol.NoCopy);
                w.Pair("subpath", vol.Subpath);
                w.EndMap();
            }
            if (v.Tmpfs is { } t)
            {
                w.Key("tmpfs");
                w.BeginMap();
                w.Pair("size", t.Size);
                if (t.Mode is { } m) w.Pair("mode", m);
                w.EndMap();
            }
            w.EndMap();
        }
        w.EndList();
    }

    private static void WriteReferences(YamlWriter w, string key, IReadOnlyList<ServiceFileReference> refs)
    {
        if (refs.Count == 0) return;
        w.Key(key);
        w.BeginList();
        foreach (var r in refs)
        {
            w.BeginMap();
            w.Pair("source", r.Source);
            w.Pair("target", r.Target);
            w.Pair("uid", r.Uid);
            w.Pair("gid", r.Gid);
            if (r.Mode is { } m) w.Pair("mode", m);
            w.EndMap();
        }
        w.EndList();
    }
}

using Berth.Compose.Model;

namespace Berth.Compose.Hashing;

/// <summary>
/// A service as Docker Compose v2 hashes it: <c>json.Marshal</c> of compose-go's <c>types.ServiceConfig</c> (compose-go
/// commit e70e961c3a3acebf0800b882f1afb3dbf1fb74a2, v2.13.0+6, types/types.go), after docker/compose's <c>ServiceHash</c>
/// cleared build, pull_policy, scale, deploy.replicas, depends_on and profiles and <c>WithServicesEnvironmentResolved(true)</c>
/// folded env_file into environment and dropped env_file. Fields come in the Go struct's order with its json tags and
/// omitempty rules; the custom marshalers are reproduced (UnitBytes as a decimal string, Duration as
/// <c>time.Duration.String()</c>, FileMode as "0%o", HostsList as a sorted "host=ip" list, a single-value ulimit as a number,
/// OptOut <c>create_host_path</c> left out when true). Keys Berth does not model are never set, so they are omitted as Go omits them.
/// </summary>
internal static class ServiceJson
{
    public static string Write(ServiceConfig s)
    {
        var w = new GoJsonWriter();
        w.BeginObject();
        // profiles: cleared by ServiceHash. annotations: Mapping.
        w.OptStringMap("annotations", s.Annotations);
        // attach, build (cleared), develop, blkio_config: not modelled / cleared.
        w.OptStringList("cap_add", s.CapAdd);
        w.OptStringList("cap_drop", s.CapDrop);
        // cgroup_parent, cgroup, cpu_count, cpu_percent, cpu_period, cpu_quota, cpu_rt_period, cpu_rt_runtime: not modelled.
        if (s.Cpus is { } cpus && (float)cpus != 0) w.Name("cpus").Float32((float)cpus);
        // cpuset, cpu_shares: not modelled. command: ShellCommand, no omitempty (nil is null, [] stays []).
        ShellCommand(w, "command", s.Command);
        FileReferences(w, "configs", s.Configs, null);
        w.OptString("container_name", s.ContainerName);
        // credential_spec: not modelled. depends_on: cleared.
        if (s.Deploy is { } d) Deploy(w, d);
        // device_cgroup_rules: not modelled.
        Devices(w, s.Devices);
        w.OptStringList("dns", s.Dns);
        w.OptStringList("dns_opt", s.DnsOpt);
        w.OptStringList("dns_search", s.DnsSearch);
        // dockerfile (legacy service key): not modelled.
        w.OptString("domainname", s.DomainName);
        ShellCommand(w, "entrypoint", s.Entrypoint);
        // provider: not modelled.
        Environment(w, s.Environment);
        // env_file: dropped by WithServicesEnvironmentResolved(true).
        w.OptStringList("expose", s.Expose);
        // extends: resolved at load; external_links: not modelled.
        ExtraHosts(w, s.ExtraHosts);
        w.OptStringList("group_add", s.GroupAdd);
        // gpus: not modelled.
        w.OptString("hostname", s.Hostname);
        if (s.Healthcheck is { } h) Healthcheck(w, h);
        w.OptString("image", s.Image);
        if (s.Init is { } init) w.Name("init").Bool(init);
        w.OptString("ipc", s.Ipc);
        // isolation: not modelled.
        w.OptStringMap("labels", s.Labels);
        // label_file: not modelled; CustomLabels: json "-".
        w.OptStringList("links", s.Links);
        if (s.Logging is { } l)
        {
            w.Name("logging").BeginObject();
            w.OptString("driver", l.Driver);
            w.OptStringMap("options", l.Options);
            w.EndObject();
        }
        // log_driver, log_opt: not modelled.
        w.OptUnitBytes("mem_limit", s.MemLimit);
        // mem_reservation, memswap_limit, mem_swappiness: not modelled.
        w.OptString("mac_address", s.MacAddress);
        // models, net: not modelled.
        w.OptString("network_mode", s.NetworkMode);
        Networks(w, s.Networks);
        // oom_kill_disable, oom_score_adj: not modelled.
        w.OptString("pid", s.Pid);
        // pids_limit: not modelled.
        w.OptString("platform", s.Platform);
        Ports(w, s.Ports);
        w.OptBool("privileged", s.Privileged);
        // pull_policy: cleared.
        w.OptBool("read_only", s.ReadOnly);
        w.OptString("restart", s.Restart);
        // runtime: not modelled; scale: cleared. secrets: the loader's default target is /run/secrets/SOURCE.
        FileReferences(w, "secrets", s.Secrets, "/run/secrets/");
        w.OptStringList("security_opt", s.SecurityOpt);
        w.OptUnitBytes("shm_size", s.ShmSize);
        w.OptBool("stdin_open", s.StdinOpen);
        if (s.StopGracePeriod is { } g) w.Name("stop_grace_period").String(GoFormat.Duration(g));
        w.OptString("stop_signal", s.StopSignal);
        // storage_opt: not modelled.
        w.OptStringMap("sysctls", s.Sysctls);
        w.OptStringList("tmpfs", s.Tmpfs);
        w.OptBool("tty", s.Tty);
        Ulimits(w, s.Ulimits);
        // use_api_socket: not modelled.
        w.OptString("user", s.User);
        // userns_mode, uts, volume_driver: not modelled.
        Volumes(w, s.Volumes);
        // volumes_from: not modelled.
        w.OptString("working_dir", s.WorkingDir);
        // pre_start, post_start, pre_stop: not modelled.
        w.EndObject();
        return w.ToString();
    }

    private static void ShellCommand(GoJsonWriter w, string name, IReadOnlyList<string>? cmd)
    {
        w.Name(name);
        if (cmd is null) w.Null();
        else w.StringArray(cmd);
    }

    private static void FileReferences(GoJsonWriter w, string name, IReadOnlyList<ServiceFileReference> refs, string? defaultTargetPrefix)
    {
        if (refs.Count == 0) return;
        w.Name(name).BeginArray();
        foreach (var r in refs)
        {
            w.BeginObject();
            w.OptString("source", r.Source);
            w.OptString("target", r.Target ?? (defaultTargetPrefix is null ? null : defaultTargetPrefix + r.Source));
            w.OptString("uid", r.Uid);
            w.OptString("gid", r.Gid);
            // *FileMode: its MarshalJSON writes fmt.Sprintf("0%o").
            if (r.Mode is { } m) w.Name("mode").String("0" + Convert.ToString(m, 8));
            w.EndObject();
        }
        w.EndArray();
    }

    private static void Deploy(GoJsonWriter w, DeployConfig d)
    {
        w.Name("deploy").BeginObject();
        w.OptString("mode", d.Mode);
        // replicas: cleared by ServiceHash.
        w.OptStringMap("labels", d.Labels);
        // update_config, rollback_config: not modelled. resources and placement are struct values: never omitted.
        w.Name("resources").BeginObject();
        if (d.Limits is { } lim) Resource(w, "limits", lim);
        if (d.Reservations is { } res) Resource(w, "reservations", res);
        w.EndObject();
        // restart_policy: not modelled.
        w.Name("placement").BeginObject().EndObject();
        // endpoint_mode: not modelled.
        w.EndObject();
    }

    private static void Resource(GoJsonWriter w, string name, ResourceLimits r)
    {
        w.Name(name).BeginObject();
        if (r.Cpus is { } cpus && (float)cpus != 0) w.Name("cpus").Float32((float)cpus);
        w.OptUnitBytes("memory", r.Memory);
        w.OptNumber("pids", r.Pids);
        // devices, generic_resources: not modelled.
        w.EndObject();
    }

    /// <summary>devices: compose-go's DeviceMapping from the short form "src[:dst[:perms]]" (dst defaults to src, perms to rwm).</summary>
    private static void Devices(GoJsonWriter w, IReadOnlyList<string> devices)
    {
        if (devices.Count == 0) return;
        w.Name("devices").BeginArray();
        foreach (var d in devices)
        {
            var parts = d.Split(':');
            var src = parts[0];
            var dst = parts.Length > 1 && parts[1].Length > 0 ? parts[1] : src;
            var perms = parts.Length > 2 ? parts[2] : "rwm";
            w.BeginObject();
            w.OptString("source", src);
            w.OptString("target", dst);
            w.OptString("permissions", perms);
            w.EndObject();
        }
        w.EndArray();
    }

    /// <summary>MappingWithEquals: a key without a value (nothing to resolve it) is null.</summary>
    private static void Environment(GoJsonWriter w, IReadOnlyDictionary<string, string?> env)
    {
        if (env.Count == 0) return;
        w.Name("environment").BeginObject();
        foreach (var key in GoJsonWriter.SortedKeys(env.Keys))
        {
            w.Name(key);
            if (env[key] is { } v) w.String(v);
            else w.Null();
        }
        w.EndObject();
    }

    /// <summary>HostsList.MarshalJSON: every host=ip pair, sorted.</summary>
    private static void ExtraHosts(GoJsonWriter w, IReadOnlyList<string> hosts)
    {
        if (hosts.Count == 0) return;
        var list = hosts.Select(h =>
        {
            var i = h.IndexOf(':', StringComparison.Ordinal);
            return i < 0 ? h : h[..i] + "=" + h[(i + 1)..];
        }).Order(StringComparer.Ordinal);
        w.Name("extra_hosts").StringArray(list);
    }

    private static void Healthcheck(GoJsonWriter w, HealthcheckConfig h)
    {
        w.Name("healthcheck").BeginObject();
        w.OptStringList("test", h.Test);
        if (h.Timeout is { } t) w.Name("timeout").String(GoFormat.Duration(t));
        if (h.Interval is { } i) w.Name("interval").String(GoFormat.Duration(i));
        if (h.Retries is { } r) w.Name("retries").Number(r);
        if (h.StartPeriod is { } sp) w.Name("start_period").String(GoFormat.Duration(sp));
        if (h.StartInterval is { } si) w.Name("start_interval").String(GoFormat.Duration(si));
        w.OptBool("disable", h.Disable);
        w.EndObject();
    }

    /// <summary>
    /// map[string]*ServiceNetworkConfig: a network listed without settings (the implicit <c>default</c>, a list entry, an
    /// empty value) is a nil pointer, so null.
    /// </summary>
    private static void Networks(GoJsonWriter w, IReadOnlyDictionary<string, ServiceNetworkConfig> networks)
    {
        if (networks.Count == 0) return;
        w.Name("networks").BeginObject();
        foreach (var key in GoJsonWriter.SortedKeys(networks.Keys))
        {
            w.Name(key);
            var n = networks[key];
            if (n.Aliases.Count == 0 && n.Ipv4Address is null && n.Ipv6Address is null && n.MacAddress is null && n.Priority == 0)
            {
                w.Null();
                continue;
            }
            w.BeginObject();
            w.OptStringList("aliases", n.Aliases);
            // driver_opts, gw_priority, interface_name: not modelled.
            w.OptString("ipv4_address", n.Ipv4Address);
            w.OptString("ipv6_address", n.Ipv6Address);
            // link_local_ips: not modelled.
            w.OptString("mac_address", n.MacAddress);
            w.OptNumber("priority", n.Priority);
            w.EndObject();
        }
        w.EndObject();
    }

    private static void Ports(GoJsonWriter w, IReadOnlyList<PortConfig> ports)
    {
        if (ports.Count == 0) return;
        w.Name("ports").BeginArray();
        foreach (var p in ports)
        {
            w.BeginObject();
            w.OptString("name", p.Name);
            w.OptString("mode", p.Mode);
            w.OptString("host_ip", p.HostIp);
            w.OptNumber("target", p.Target);
            w.OptString("published", p.Published);
            w.OptString("protocol", p.Protocol);
            w.OptString("app_protocol", p.AppProtocol);
            w.EndObject();
        }
        w.EndArray();
    }

    /// <summary>map[string]*UlimitsConfig: the single-integer form marshals as that number, soft/hard as an object.</summary>
    private static void Ulimits(GoJsonWriter w, IReadOnlyDictionary<string, UlimitConfig> ulimits)
    {
        if (ulimits.Count == 0) return;
        w.Name("ulimits").BeginObject();
        foreach (var key in GoJsonWriter.SortedKeys(ulimits.Keys))
        {
            var u = ulimits[key];
            w.Name(key);
            if (u.Single && u.Soft != 0)
            {
                w.Number(u.Soft);
                continue;
            }
            w.BeginObject();
            w.OptNumber("soft", u.Soft);
            w.OptNumber("hard", u.Hard);
            w.EndObject();
        }
        w.EndObject();
    }

    private static void Volumes(GoJsonWriter w, IReadOnlyList<ServiceVolumeConfig> volumes)
    {
        if (volumes.Count == 0) return;
        w.Name("volumes").BeginArray();
        foreach (var v in volumes)
        {
            w.BeginObject();
            w.OptString("type", v.Type);
            w.OptString("source", v.Source);
            // The loader path.Clean()s every target.
            w.OptString("target", GoPath.Clean(v.Target));
            w.OptBool("read_only", v.ReadOnly);
            w.OptString("consistency", v.Consistency);
            if (v.Bind is { } b)
            {
                w.Name("bind").BeginObject();
                w.OptString("selinux", b.SELinux);
                w.OptString("propagation", b.Propagation);
                // OptOut with omitzero: IsZero() is "value is true", so only false is written.
                if (!b.CreateHostPath) w.Name("create_host_path").Bool(false);
                // recursive: not modelled.
                w.EndObject();
            }
            if (v.Volume is { } vol)
            {
                w.Name("volume").BeginObject();
                // labels: not modelled.
                w.OptBool("nocopy", vol.NoCopy);
                w.OptString("subpath", vol.Subpath);
                w.EndObject();
            }
            if (v.Tmpfs is { } t)
            {
                w.Name("tmpfs").BeginObject();
                w.OptUnitBytes("size", t.Size);
                w.OptNumber("mode", t.Mode);
                w.EndObject();
            }
            // image: not modelled.
            w.EndObject();
        }
        w.EndArray();
    }
}

using System.Security.Cryptography;
using System.Text;
using Berth.Compose.Model;

namespace Berth.Compose.Engine;

/// <summary>Stand-in config hash over the keys that shape a container, until the loader's hashing is merged.</summary>
internal static class ServiceHash
{
    public static string Compute(ServiceConfig s)
    {
        var sb = new StringBuilder();
        void Add(string k, object? v) => sb.Append(k).Append('=').Append(v).Append('\n');
        void AddList(string k, IEnumerable<string>? v) => Add(k, v is null ? "<null>" : string.Join('\u0001', v));
        Add("image", s.Image);
        AddList("command", s.Command);
        AddList("entrypoint", s.Entrypoint);
        AddList("env", s.Environment.Select(e => $"{e.Key}={e.Value}"));
        AddList("ports", s.Ports.Select(p => $"{p.HostIp}:{p.Published}:{p.Target}/{p.Protocol}"));
        AddList("expose", s.Expose);
        AddList("volumes", s.Volumes.Select(v => $"{v.Type}:{v.Source}:{v.Target}:{v.ReadOnly}"));
        AddList("tmpfs", s.Tmpfs);
        AddList("networks", s.Networks.Select(n => $"{n.Key}:{string.Join(',', n.Value.Aliases)}:{n.Value.Ipv4Address}"));
        Add("network_mode", s.NetworkMode);
        Add("healthcheck", s.Healthcheck is { } h ? $"{string.Join(',', h.Test ?? [])}:{h.Interval}:{h.Timeout}:{h.Retries}:{h.StartPeriod}:{h.Disable}" : null);
        Add("restart", s.Restart);
        AddList("labels", s.Labels.Select(l => $"{l.Key}={l.Value}"));
        Add("container_name", s.ContainerName);
        Add("hostname", s.Hostname);
        Add("user", s.User);
        Add("working_dir", s.WorkingDir);
        Add("read_only", s.ReadOnly);
        AddList("cap_add", s.CapAdd);
        AddList("cap_drop", s.CapDrop);
        AddList("security_opt", s.SecurityOpt);
        Add("stop_signal", s.StopSignal);
        Add("stop_grace_period", s.StopGracePeriod);
        Add("init", s.Init);
        Add("tty", s.Tty);
        Add("stdin_open", s.StdinOpen);
        AddList("extra_hosts", s.ExtraHosts);
        AddList("dns", s.Dns);
        AddList("sysctls", s.Sysctls.Select(l => $"{l.Key}={l.Value}"));
        AddList("ulimits", s.Ulimits.Select(u => $"{u.Key}={u.Value.Soft}:{u.Value.Hard}"));
        Add("limits", s.Deploy?.Limits is { } l ? $"{l.Cpus}:{l.Memory}:{l.Pids}" : null);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }
}

using System.Text;
using System.Text.Json;
using Berth.Api.Models.Containers;
using Berth.Builder.Dockerfile;

namespace Berth.Builder.Execution;

public sealed partial class ClassicBuilder
{
    private Task DispatchAsync(StageState s, Instruction cmd, CancellationToken ct) => cmd switch
    {
        EnvInstruction env => EnvAsync(s, env, ct),
        LabelInstruction label => LabelAsync(s, label, ct),
        MaintainerInstruction m => MaintainerAsync(s, m, ct),
        ArgInstruction arg => ArgAsync(s, arg, ct),
        RunInstruction run => RunAsync(s, run, ct),
        CmdInstruction c => CmdAsync(s, c, ct),
        EntrypointInstruction e => EntrypointAsync(s, e, ct),
        CopyInstruction copy => CopyAsync(s, copy, ct),
        WorkdirInstruction w => WorkdirAsync(s, w, ct),
        UserInstruction u => CommitMetadataAsync(s, () => s.RunConfig.User = s.Expand(u.User), () => "USER " + s.Expand(u.User), ct),
        VolumeInstruction v => VolumeAsync(s, v, ct),
        ExposeInstruction e => ExposeAsync(s, e, ct),
        StopSignalInstruction sig => StopSignalAsync(s, sig, ct),
        ShellInstruction sh => CommitMetadataAsync(s, () => s.RunConfig.Shell = [.. sh.Shell], () => "SHELL " + GoFormat.Slice(sh.Shell), ct),
        HealthcheckInstruction h => HealthcheckAsync(s, h, ct),
        OnbuildInstruction o => CommitMetadataAsync(s, () => (s.RunConfig.OnBuild ??= []).Add(o.Expression), () => "ONBUILD " + o.Expression, ct),
        _ => throw new BuildFailedException($"unsupported command type: {cmd.Keyword}"),
    };

    private Task EnvAsync(StageState s, EnvInstruction env, CancellationToken ct)
    {
        // Expansion of every pair happens before any of them is applied, as in moby's dispatch.
        var pairs = env.Pairs.Select(p => new KeyValue(s.Expand(p.Key), s.Expand(p.Value), p.NoDelim)).ToList();
        var message = new StringBuilder("ENV");
        var vars = s.RunConfig.Env ??= [];
        foreach (var p in pairs)
        {
            var entry = p.Key + "=" + p.Value;
            message.Append(' ').Append(entry);
            var at = vars.FindIndex(e => e.Split('=', 2)[0] == p.Key);
            if (at >= 0) vars[at] = entry;
            else vars.Add(entry);
        }
        return CommitAsync(s, message.ToString(), ct);
    }

    private Task LabelAsync(StageState s, LabelInstruction label, CancellationToken ct)
    {
        var pairs = label.NoExpand ? label.Pairs : label.Pairs.Select(p => new KeyValue(s.Expand(p.Key), s.Expand(p.Value), p.NoDelim)).ToList();
        s.RunConfig.Labels ??= [];
        var message = new StringBuilder("LABEL");
        foreach (var p in pairs)
        {
            s.RunConfig.Labels[p.Key] = p.Value;
            message.Append(' ').Append(p.Key).Append('=').Append(p.Value);
        }
        return CommitAsync(s, message.ToString(), ct);
    }

    private Task MaintainerAsync(StageState s, MaintainerInstruction m, CancellationToken ct)
    {
        s.Maintainer = m.Maintainer;
        return CommitAsync(s, "MAINTAINER " + m.Maintainer, ct);
    }

    private Task ArgAsync(StageState s, ArgInstruction arg, CancellationToken ct)
    {
        var message = new StringBuilder("ARG ");
        var first = true;
        foreach (var a in arg.Args)
        {
            var key = s.Expand(a.Key);
            var value = a.Value is null ? null : s.Expand(a.Value);
            if (!first) message.Append(' ');
            first = false;
            message.Append(key);
            if (value is not null) message.Append('=').Append(value);
            s.Args.AddArg(key, value);
        }
        return CommitAsync(s, message.ToString(), ct);
    }

    private Task CmdAsync(StageState s, CmdInstruction c, CancellationToken ct)
    {
        var cmd = ResolveCommandLine(s, c);
        s.RunConfig.Cmd = cmd;
        s.RunConfig.ArgsEscaped = null;
        if (c.CommandLine.Count != 0) s.CmdSet = true;
        return CommitAsync(s, "CMD " + GoFormat.QuoteSlice(cmd), ct);
    }

    private Task EntrypointAsync(StageState s, EntrypointInstruction e, CancellationToken ct)
    {
        var cmd = ResolveCommandLine(s, e);
        s.RunConfig.Entrypoint = e.CommandLine.Count == 0 && !e.PrependShell ? null : cmd;
        s.RunConfig.ArgsEscaped = null;
        if (!s.CmdSet) s.RunConfig.Cmd = null;
        return CommitAsync(s, "ENTRYPOINT " + GoFormat.QuoteSlice(s.RunConfig.Entrypoint ?? []), ct);
    }

    private static List<string> ResolveCommandLine(StageState s, CommandLineInstruction c) =>
        c.PrependShell ? [.. s.Shell(), .. c.CommandLine] : [.. c.CommandLine];

    private Task VolumeAsync(StageState s, VolumeInstruction v, CancellationToken ct)
    {
        var volumes = v.Volumes.Select(s.Expand).ToList();
        s.RunConfig.Volumes ??= [];
        foreach (var vol in volumes)
        {
            if (vol.Length == 0) throw new BuildFailedException("VOLUME specified can not be an empty string");
            s.RunConfig.Volumes[vol] = new EmptyObject();
        }
        return CommitAsync(s, "VOLUME " + GoFormat.Slice(volumes), ct);
    }

    private Task ExposeAsync(StageState s, ExposeInstruction e, CancellationToken ct)
    {
        // EXPOSE is the one instruction whose expansion may yield several words ($PORTS="80 443").
        var ports = new List<string>();
        foreach (var p in e.Ports)
        {
            try { ports.AddRange(s.Lex.ProcessWords(p, s.Env())); }
            catch (ShellSyntaxException ex) { throw new BuildFailedException(ex.Message); }
        }
        s.RunConfig.ExposedPorts ??= [];
        foreach (var p in ports)
            foreach (var key in PortSpec.Parse(p)) s.RunConfig.ExposedPorts[key] = new EmptyObject();
        return CommitAsync(s, "EXPOSE " + string.Join(' ', ports), ct);
    }

    private Task StopSignalAsync(StageState s, StopSignalInstruction sig, CancellationToken ct)
    {
        var signal = s.Expand(sig.Signal);
        if (!SignalNames.IsValid(signal)) throw new BuildFailedException($"Invalid signal: {signal}");
        s.RunConfig.StopSignal = signal;
        return CommitAsync(s, "STOPSIGNAL " + signal, ct);
    }

    private async Task HealthcheckAsync(StageState s, HealthcheckInstruction h, CancellationToken ct)
    {
        if (s.RunConfig.Healthcheck?.Test is { Count: > 0 } old && old[0] != "NONE")
            await s.Out.WriteAsync($"Note: overriding previous HEALTHCHECK: {GoFormat.Slice(old)}\n", ct);
        var hc = h.Health;
        s.RunConfig.Healthcheck = new HealthConfig
        {
            Test = hc.Test is null ? null : [.. hc.Test],
            Interval = hc.Interval,
            Timeout = hc.Timeout,
            StartPeriod = hc.StartPeriod,
            StartInterval = hc.StartInterval,
            Retries = hc.Retries,
        };
        // moby: fmt.Sprintf("HEALTHCHECK %q", runConfig.Healthcheck): %q of each field in order, durations through String().
        var text = $"HEALTHCHECK &{{{GoFormat.QuoteSlice(hc.Test ?? [])} {GoFormat.Quote(GoFormat.Duration(hc.Interval))} " +
                   $"{GoFormat.Quote(GoFormat.Duration(hc.Timeout))} {GoFormat.Quote(GoFormat.Duration(hc.StartPeriod))} " +
                   $"{GoFormat.Quote(GoFormat.Duration(hc.StartInterval))} {GoFormat.QuoteRune(hc.Retries)}}}";
        await CommitAsync(s, text, ct);
    }

    private Task CommitMetadataAsync(StageState s, Action apply, Func<string> message, CancellationToken ct)
    {
        var text = message();
        apply();
        return CommitAsync(s, text, ct);
    }

    /// <summary>A config-only step: the history line is "&lt;shell&gt; #(nop)  &lt;comment&gt;" and no layer is added.</summary>
    private async Task CommitAsync(StageState s, string comment, CancellationToken ct)
    {
        var probe = ConfigCopy.Clone(s.RunConfig);
        probe.Cmd = [.. s.Shell(), "#(nop) ", comment];
        if (await TryCacheAsync(s, probe, ct)) return;
        await CommitImageAsync(s, probe, null, ct);
    }

    /// <summary>Looks the step up in the cache; a hit moves the stage onto the cached image and prints " ---> Using cache".</summary>
    private async Task<bool> TryCacheAsync(StageState s, ContainerConfig probe, CancellationToken ct, string salt = "")
    {
        if (_options.NoCache || s.CacheBusted) return false;
        var hit = backend.LookupCache(CacheKey(s.ImageId, probe, salt)) ?? await CacheFromAsync(s, probe, salt, ct);
        if (hit is null)
        {
            s.CacheBusted = true;
            return false;
        }
        await s.Out.WriteAsync(" ---> Using cache\n", ct);
        MoveTo(s, hit);
        return true;
    }

    /// <summary>Makes the step's image: the stage's config, parent history plus this step, parent layers plus <paramref name="layer"/>.</summary>
    private async Task CommitImageAsync(StageState s, ContainerConfig probe, BuildLayerDiff? layer, CancellationToken ct, string salt = "")
    {
        var now = _time.GetUtcNow();
        var parent = s.ImageConfig;
        var child = new ImageConfig
        {
            Architecture = parent.Architecture.Length > 0 ? parent.Architecture : HostArchitecture(),
            Os = string.IsNullOrEmpty(parent.Os) ? "linux" : parent.Os,
            Variant = parent.Variant,
            Author = s.Maintainer,
            Config = ConfigCopy.Clone(s.RunConfig),
        };
        child.Config.Image = s.ImageId;
        child.History.AddRange(parent.History);
        child.History.Add(new HistoryEntry(ImageConfigWriter.FormatTime(now), string.Join(' ', probe.Cmd ?? []), s.Maintainer, null, layer is null));
        var diffIds = s.Image.DiffIds.ToList();
        var blobs = s.Image.LayerDigests.ToList();
        if (layer is not null)
        {
            diffIds.Add(layer.DiffId);
            blobs.Add(layer.BlobDigest);
        }
        var json = ImageConfigWriter.Write(child, diffIds, now);
        var image = await backend.StoreImageAsync(json, diffIds, blobs, s.ImageId.Length == 0 ? null : s.ImageId, ct);
        backend.StoreCache(CacheKey(s.ImageId, probe, salt), image.Id);
        MoveTo(s, image);
    }

    private static void MoveTo(StageState s, BuildImage image)
    {
        s.Image = image;
        s.ImageConfig = ImageConfig.Parse(image.ConfigJson);
        s.RunConfig.Image = image.Id;
    }

    /// <summary>Docker's cache identity of a step: the parent image and the step's full config (its Cmd carries the instruction).</summary>
    internal static string CacheKey(string parentId, ContainerConfig probe, string salt = "")
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            var copy = ConfigCopy.Clone(probe);
            copy.Image = null;   // the parent is keyed separately; the running config's Image field lags one step
            ImageConfigWriter.WriteConfig(w, copy);
        }
        return "sha256:" + FileHasher.Sha256(parentId + "\n" + Encoding.UTF8.GetString(buffer.ToArray()) + (salt.Length > 0 ? "\n" + salt : ""));
    }

    private static string HostArchitecture() => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        System.Runtime.InteropServices.Architecture.S390x => "s390x",
        System.Runtime.InteropServices.Architecture.Ppc64le => "ppc64le",
        System.Runtime.InteropServices.Architecture.RiscV64 => "riscv64",
        _ => "amd64",
    };
}

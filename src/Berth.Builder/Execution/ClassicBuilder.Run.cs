using System.Globalization;
using System.Text;
using Berth.Api.Models.Containers;
using Berth.Builder.Dockerfile;

namespace Berth.Builder.Execution;

public sealed partial class ClassicBuilder
{
    /// <summary>
    /// RUN (moby dispatchRun): the cache key's Cmd carries the build args in scope as <c>|N K=V …</c>; the container gets them
    /// as environment, an empty entrypoint and no healthcheck; its changes become the step's layer.
    /// </summary>
    private async Task RunAsync(StageState s, RunInstruction run, CancellationToken ct)
    {
        var unsupported = run.FlagsUsed.FirstOrDefault(f => f != "mount");
        if (unsupported is not null)
            throw new BuildFailedException($"the --{unsupported} option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ to learn how to build images with BuildKit enabled");
        foreach (var raw in run.Mounts) RunMount.CheckFromNotExpanded(raw);
        var mounts = run.Mounts.Select(m => RunMount.Parse(s.Expand(m))).ToList();
        var bindPlans = await PlanBindsAsync(s, mounts, ct);
        var cmd = RunCommandLine(s, run);
        var buildArgs = s.Args.FilterAllowed(s.RunConfig.Env ?? []);
        var saveCmd = cmd;
        if (buildArgs.Count > 0)
        {
            var shown = buildArgs.Where(e => s.Args.IsReferencedOrNotBuiltin(e.Split('=', 2)[0])).Order(StringComparer.Ordinal).ToList();
            saveCmd = ["|" + shown.Count.ToString(CultureInfo.InvariantCulture), .. shown, .. cmd];
        }
        var probe = ConfigCopy.Clone(s.RunConfig);
        probe.Cmd = saveCmd;
        probe.ArgsEscaped = null;
        if (saveCmd.Count > 0) probe.Entrypoint = null;
        // The mounts are part of the step (as in BuildKit), though not of its history line.
        // A bind adds what it binds (BuildKit: the step depends on those files), so editing a bound file runs the step again.
        var salt = string.Join('\n', run.Mounts.Select(s.Expand)) + string.Concat(bindPlans.Select(p => "\n" + p.Target + "=" + p.ContentKey));
        if (await TryCacheAsync(s, probe, ct, salt)) return;

        var runConfig = ConfigCopy.Clone(s.RunConfig);
        runConfig.Cmd = cmd;
        runConfig.ArgsEscaped = null;
        runConfig.Env = [.. s.RunConfig.Env ?? [], .. buildArgs];
        runConfig.Entrypoint = [""];
        runConfig.Healthcheck = new HealthConfig { Test = ["NONE"] };
        runConfig.Image = s.ImageId;

        using var secrets = new SecretFiles();
        var cleanup = new List<IAsyncDisposable>();
        try
        {
            var host = mounts.Count > 0 ? await MountHostAsync(mounts, bindPlans, secrets, cleanup, ct) : _options.Host;
            await RunContainerAsync(s, runConfig, host, cmd, probe, salt, ct);
        }
        finally
        {
            // Stage and image roots bound for this step only; what the step wrote into them goes with them.
            foreach (var c in cleanup) await c.DisposeAsync();
        }
    }

    /// <summary>The step container's mounts: tmpfs, secrets (files made for this step), cache directories and binds.</summary>
    private async Task<BuildHostOptions> MountHostAsync(List<RunMount> mounts, List<BindPlan> bindPlans, SecretFiles secrets, List<IAsyncDisposable> cleanup,
        CancellationToken ct)
    {
        var binds = new List<string>();
        var tmpfs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var m in mounts)
        {
            if (m.Type == "bind") continue;
            if (m.Type == "tmpfs")
            {
                tmpfs[m.Target] = m.Size is null ? "" : "size=" + m.Size;
                continue;
            }
            if (m.Type == "secret")
            {
                if (!_options.Secrets.TryGetValue(m.Id, out var value))
                {
                    if (m.Required) throw new BuildFailedException($"secret {m.Id}: not found");
                    continue;
                }
                binds.Add(secrets.Add(value, m.Mode is null ? 0b100_000_000 : Convert.ToInt32(m.Mode, 8), m.Uid ?? 0, m.Gid ?? 0) + ":" + m.Target + ":ro");
                continue;
            }
            var dir = backend.CacheMountDirectory(m.Id);
            if (m.Uid is not null || m.Gid is not null) Interop.Libc.LchownOrThrow(dir, m.Uid ?? 0, m.Gid ?? 0);
            if (m.Mode is not null) File.SetUnixFileMode(dir, (UnixFileMode)Convert.ToInt32(m.Mode, 8));
            binds.Add(dir + ":" + m.Target);
        }
        binds.AddRange(await MountBindsAsync(bindPlans, cleanup, ct));
        return _options.Host with { Binds = binds, Tmpfs = tmpfs };
    }

    private async Task RunContainerAsync(StageState s, ContainerConfig runConfig, BuildHostOptions host, List<string> cmd, ContainerConfig probe, string salt,
        CancellationToken ct)
    {
        var container = await backend.CreateContainerAsync(s.Image, runConfig, host, ct);
        var removed = false;
        try
        {
            await s.Out.WriteAsync($" ---> Running in {Short(container.Id)}\n", ct);
            // One decoder for the run, so a multi-byte character split across reads is not garbled.
            var decoder = Encoding.UTF8.GetDecoder();
            var code = await container.RunAsync((_, data) =>
            {
                var chars = new char[Encoding.UTF8.GetMaxCharCount(data.Length)];
                var n = decoder.GetChars(data.Span, chars, flush: false);
                return n == 0 ? Task.CompletedTask : s.Out.WriteAsync(new string(chars, 0, n), ct);
            }, ct);
            if (code != 0)
            {
                // Docker (--rm, the default) keeps the failed step's container for inspection; --force-rm removes it too.
                if (_options.ForceRemove)
                {
                    removed = true;
                    await RemoveContainerAsync(s, container, ct);
                }
                throw new BuildFailedException($"The command '{string.Join(' ', cmd)}' returned a non-zero code: {code}", code);
            }
            var layer = await container.CommitAsync(ct);
            if (_options.Remove || _options.ForceRemove)
            {
                removed = true;
                await RemoveContainerAsync(s, container, ct);
            }
            await CommitImageAsync(s, probe, layer, ct, salt);
        }
        catch (Exception ex) when (!removed && (_options.ForceRemove || ex is OperationCanceledException))
        {
            // A cancelled step (client gone, or a parallel stage failed) leaves nothing behind, as Docker removes it on cancel.
            await container.RemoveAsync();
            throw;
        }
    }

    private static async Task RemoveContainerAsync(StageState s, IBuildContainer container, CancellationToken ct)
    {
        await container.RemoveAsync();
        await s.Out.WriteAsync($" ---> Removed intermediate container {Short(container.Id)}\n", ct);
    }

    /// <summary>
    /// The shell form gets the SHELL prepended. Heredocs follow BuildKit: a lone <c>&lt;&lt;EOF</c> runs the body as the script;
    /// otherwise the bodies are appended to the command so the shell reads them as here-documents.
    /// </summary>
    private static List<string> RunCommandLine(StageState s, RunInstruction run)
    {
        if (!run.PrependShell) return [.. run.CommandLine];
        var line = run.CommandLine.Count > 0 ? run.CommandLine[0] : "";
        if (run.Files.Count == 0) return [.. s.Shell(), line];
        if (run.Files.Count == 1 && DockerfileParser.ParseHeredoc(line.Trim()) is { } only && only.Name == run.Files[0].Name)
        {
            var body = run.Files[0].Chomp ? DockerfileParser.ChompHeredocContent(run.Files[0].Content) : run.Files[0].Content;
            return [.. s.Shell(), body];
        }
        var script = new StringBuilder(line);
        foreach (var f in run.Files) script.Append('\n').Append(f.Content).Append(f.Name);
        return [.. s.Shell(), script.ToString()];
    }
}

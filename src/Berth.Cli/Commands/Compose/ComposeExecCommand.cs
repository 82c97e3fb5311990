using System.Security.Cryptography;
using Berth.Api.Models.Containers;
using Berth.Cli.Parsing;
using Berth.Cli.Terminal;
using Berth.Compose;
using Berth.Compose.Engine;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// <c>compose exec [-T] [-d] [-e K=V] [-u U] [-w D] [--index N] SERVICE CMD...</c> (hands over to <c>berth exec</c> on the
/// service's container) and <c>compose run [--rm] [-d] [-e K=V] [--entrypoint E] [--no-deps] SERVICE [CMD...]</c> (a one-off
/// container, labelled oneoff=True and named <c>&lt;project&gt;-&lt;service&gt;-run-&lt;id&gt;</c>, started attached).
/// </summary>
internal static class ComposeExecCommand
{
    private static readonly OptionSpec[] ExecSpecs =
    [
        OptionSpec.Flag("detach", 'd'), new OptionSpec("no-TTY", 'T', false, "no-tty"), OptionSpec.Flag("tty", 't'), OptionSpec.Flag("interactive", 'i'),
        OptionSpec.Value("env", 'e'), OptionSpec.Value("user", 'u'), OptionSpec.Value("workdir", 'w'), OptionSpec.Value("index"), OptionSpec.Flag("privileged"),
    ];

    private static readonly OptionSpec[] RunSpecs =
    [
        OptionSpec.Flag("rm"), OptionSpec.Flag("detach", 'd'), new OptionSpec("no-TTY", 'T', false, "no-tty"), OptionSpec.Flag("tty", 't'), OptionSpec.Flag("interactive", 'i'),
        OptionSpec.Value("env", 'e'), OptionSpec.Value("user", 'u'), OptionSpec.Value("workdir", 'w'), OptionSpec.Value("name"), OptionSpec.Value("entrypoint"),
        OptionSpec.Flag("no-deps"), OptionSpec.Flag("service-ports", 'P'), OptionSpec.Value("publish", 'p'), OptionSpec.Value("volume", 'v'), OptionSpec.Value("label", 'l'),
        OptionSpec.Flag("build"), OptionSpec.Flag("use-aliases"), OptionSpec.Flag("quiet-pull"), OptionSpec.Flag("remove-orphans"), OptionSpec.Value("pull"),
        OptionSpec.Flag("quiet", 'q'), OptionSpec.Value("cap-add"), OptionSpec.Value("cap-drop"),
    ];

    public static async Task<int> ExecAsync(ComposeInvocation inv, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, ExecSpecs, stopAtFirstPositional: true);
        if (a.Positionals.Count < 2) throw new UsageException("\"exec\" requires at least 2 arguments.");
        var service = a.Positionals[0];
        var (name, project) = await inv.ProjectOrNameAsync(ct);
        if (project is not null) ComposeEngine.CheckServices(project, [service]);
        var index = a.Int("index") ?? 1;
        var containers = await inv.Engine().ContainersAsync(name, [service], all: false, oneOff: false, ct);
        var target = containers.FirstOrDefault(c => ProjectQueries.NumberOf(c) == index)
            ?? throw new ComposeException(index == 1 ? $"service \"{service}\" is not running" : $"service \"{service}\" is not running container #{index}");
        var execArgs = new List<string>();
        if (a.Flag("detach")) execArgs.Add("-d");
        else
        {
            execArgs.Add("-i");
            if (!a.Flag("no-TTY") && TerminalInterop.IsTerminal(0)) execArgs.Add("-t");
        }
        foreach (var e in a.Values("env")) execArgs.AddRange(["-e", e]);
        if (a.Value("user") is { } u) execArgs.AddRange(["-u", u]);
        if (a.Value("workdir") is { } w) execArgs.AddRange(["-w", w]);
        if (a.Flag("privileged")) execArgs.Add("--privileged");
        execArgs.Add(target.Id);
        execArgs.AddRange(a.Positionals.Skip(1));
        return await ExecCommand.RunAsync(inv.Ctx, [.. execArgs], ct);
    }

    public static async Task<int> RunAsync(ComposeInvocation inv, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, RunSpecs, stopAtFirstPositional: true);
        if (a.Positionals.Count < 1) throw new UsageException("\"run\" requires at least 1 argument.");
        var serviceName = a.Positionals[0];
        var project = await inv.LoadAsync([serviceName], ct);
        var service = project.Services[serviceName];
        var engine = inv.Engine();
        if (!a.Flag("no-deps") && service.DependsOn.Count > 0)
        {
            await engine.UpAsync(project, new UpOptions { Services = [.. service.DependsOn.Keys.Where(project.Services.ContainsKey)] }, ct);
        }
        await engine.EnsureNetworksAsync(project, [service], ct);
        await engine.EnsureVolumesAsync(project, ct);
        var images = await engine.EnsureImagesAsync(project, [service], a.Flag("build"), false, a.Value("pull"), ct);

        var slug = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var containerName = a.Value("name") ?? ComposeNaming.OneOffName(project.Name, serviceName, slug);
        var tty = !a.Flag("no-TTY") && !a.Flag("detach") && TerminalInterop.IsTerminal(0);
        var identity = new ContainerIdentity(containerName, 0, engine.ConfigHash(service), images[serviceName], OneOff: true, Slug: slug);
        var id = await engine.CreateContainerAsync(project, service, identity, ct, request =>
        {
            if (a.Positionals.Count > 1) request.Cmd = [.. a.Positionals.Skip(1)];
            if (a.Value("entrypoint") is { } ep) request.Entrypoint = ep.Length == 0 ? [""] : [.. ep.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
            if (a.Value("user") is { } u) request.User = u;
            if (a.Value("workdir") is { } w) request.WorkingDir = w;
            request.Env = [.. request.Env ?? [], .. a.Values("env")];
            foreach (var l in a.Values("label"))
            {
                var eq = l.IndexOf('=', StringComparison.Ordinal);
                request.Labels![eq < 0 ? l : l[..eq]] = eq < 0 ? "" : l[(eq + 1)..];
            }
            request.Tty = tty;
            request.OpenStdin = !a.Flag("detach");
            request.AttachStdin = !a.Flag("detach");
            request.AttachStdout = request.AttachStderr = !a.Flag("detach");
            request.HostConfig ??= new HostConfig();
            // One-off containers do not publish the service's ports unless asked (Compose's --service-ports), nor restart.
            if (!a.Flag("service-ports")) request.HostConfig.PortBindings = null;
            foreach (var p in a.Values("publish")) AddPublish(request, p);
            request.HostConfig.RestartPolicy = null;
            request.HostConfig.AutoRemove = a.Flag("rm");
            foreach (var v in a.Values("volume")) (request.HostConfig.Binds ??= []).Add(v);
            foreach (var c in a.Values("cap-add")) (request.HostConfig.CapAdd ??= []).Add(c);
            foreach (var c in a.Values("cap-drop")) (request.HostConfig.CapDrop ??= []).Add(c);
        });
        await engine.InjectFilesAsync(project, service, id, ct);
        if (a.Flag("detach"))
        {
            await inv.Ctx.Client.StartContainerAsync(id, ct);
            inv.Ctx.Out.WriteLine(containerName);
            return 0;
        }
        return await StartCommand.RunAsync(inv.Ctx, ["-a", "-i", id], ct);
    }

    private static void AddPublish(ContainerCreateRequest request, string spec)
    {
        // HOST:CONTAINER[/proto] or CONTAINER[/proto]; enough for compose run's -p.
        var parts = spec.Split(':');
        var containerPart = parts[^1];
        var key = containerPart.Contains('/') ? containerPart : containerPart + "/tcp";
        var host = request.HostConfig!;
        host.PortBindings ??= [];
        host.PortBindings[key] = [new PortBinding { HostIp = parts.Length > 2 ? parts[0] : "", HostPort = parts.Length > 1 ? parts[^2] : "" }];
        request.ExposedPorts ??= [];
        request.ExposedPorts[key] = new EmptyObject();
    }
}

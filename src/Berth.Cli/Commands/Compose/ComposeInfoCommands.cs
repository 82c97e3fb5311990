using System.Text.Json.Nodes;
using Berth.Cli.Parsing;
using Berth.Client;
using Berth.Compose;
using Berth.Compose.Engine;

namespace Berth.Cli.Commands.Compose;

/// <summary><c>compose top</c>, <c>port</c>, <c>ls</c> and <c>version</c>.</summary>
internal static class ComposeInfoCommands
{
    public static async Task<int> TopAsync(ComposeInvocation inv, string[] args, CancellationToken ct)
    {
        var (name, project) = await inv.ProjectOrNameAsync(ct);
        if (project is not null) ComposeEngine.CheckServices(project, args);
        var containers = await inv.Engine().ContainersAsync(name, args, all: false, oneOff: false, ct);
        var first = true;
        foreach (var c in containers)
        {
            var top = await inv.Ctx.Client.TopAsync(c.Id, null, ct);
            if (!first) inv.Ctx.Out.WriteLine();
            first = false;
            inv.Ctx.Out.WriteLine(ProjectQueries.NameOf(c));
            SimpleTable.Write(inv.Ctx.Out, [[.. top.Titles], .. top.Processes.Select(p => p.ToArray())]);
        }
        return 0;
    }

    /// <summary><c>compose port [--protocol P] [--index N] SERVICE PRIVATE_PORT</c>: prints <c>HOST:PORT</c>.</summary>
    public static async Task<int> PortAsync(ComposeInvocation inv, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, [OptionSpec.Value("protocol"), OptionSpec.Value("index")]);
        if (a.Positionals.Count != 2) throw new UsageException("\"port\" requires exactly 2 arguments.");
        var (service, port) = (a.Positionals[0], a.Positionals[1]);
        var (name, project) = await inv.ProjectOrNameAsync(ct);
        if (project is not null) ComposeEngine.CheckServices(project, [service]);
        var index = a.Int("index") ?? 1;
        var c = (await inv.Engine().ContainersAsync(name, [service], all: false, oneOff: false, ct)).FirstOrDefault(x => ProjectQueries.NumberOf(x) == index)
            ?? throw new ComposeException($"service \"{service}\" is not running container #{index}");
        var node = await inv.Ctx.Client.GetNodeAsync($"/containers/{Query.Escape(c.Id)}/json", ct);
        var key = $"{port}/{a.Value("protocol") ?? "tcp"}";
        var binding = (node?["NetworkSettings"]?["Ports"]?[key] as JsonArray)?.FirstOrDefault();
        if (binding is null) throw new ComposeException($"no port {key} for container {ProjectQueries.NameOf(c)}");
        var ip = binding["HostIp"]?.GetValue<string>() ?? "";
        inv.Ctx.Out.WriteLine($"{(ip.Length == 0 ? "0.0.0.0" : ip)}:{binding["HostPort"]?.GetValue<string>()}");
        return 0;
    }

    /// <summary><c>compose ls [-a] [-q]</c>: projects found by label, as Compose v2 lists them.</summary>
    public static async Task<int> LsAsync(ComposeInvocation inv, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, [OptionSpec.Flag("all", 'a'), OptionSpec.Flag("quiet", 'q'), OptionSpec.Value("format"), OptionSpec.Value("filter")]);
        var projects = await ProjectQueries.ProjectsAsync(inv.Ctx.Client, a.Flag("all"), ct);
        if (a.Flag("quiet"))
        {
            foreach (var p in projects) inv.Ctx.Out.WriteLine(p.Name);
            return 0;
        }
        var rows = new List<string[]> { new[] { "NAME", "STATUS", "CONFIG FILES" } };
        foreach (var p in projects)
        {
            var status = p.Running == p.Total ? $"running({p.Running})" : p.Running == 0 ? $"exited({p.Total})" : $"running({p.Running}), exited({p.Total - p.Running})";
            rows.Add([p.Name, status, p.ConfigFiles]);
        }
        SimpleTable.Write(inv.Ctx.Out, rows);
        return 0;
    }

    public static Task<int> VersionAsync(ComposeInvocation inv, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, [OptionSpec.Flag("short"), OptionSpec.Value("format", 'f')]);
        inv.Ctx.Out.WriteLine(a.Flag("short") ? ComposeLabels.ComposeVersion : $"Docker Compose version v{ComposeLabels.ComposeVersion} (berth)");
        _ = ct;
        return Task.FromResult(0);
    }
}

using System.Text.Json.Nodes;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;
using Berth.Compose.Engine;

namespace Berth.Cli.Commands.Compose;

/// <summary><c>compose ps [-a] [-q] [--services] [--status S] [--format table|json] [SERVICE...]</c>, Compose v2's columns.</summary>
internal static class ComposePsCommand
{
    private static readonly OptionSpec[] Specs =
    [
        OptionSpec.Flag("all", 'a'), OptionSpec.Flag("quiet", 'q'), OptionSpec.Flag("services"), OptionSpec.Value("status"), OptionSpec.Value("format"),
        OptionSpec.Value("filter"), OptionSpec.Flag("no-trunc"), OptionSpec.Flag("orphans"),
    ];

    public static async Task<int> RunAsync(ComposeInvocation inv, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs);
        var (name, project) = await inv.ProjectOrNameAsync(ct);
        if (project is not null) ComposeEngine.CheckServices(project, a.Positionals);
        var engine = inv.Engine();
        var containers = await engine.ContainersAsync(name, a.Positionals, all: a.Flag("all") || a.Has("status"), oneOff: true, ct);
        var statuses = a.Values("status").ToHashSet(StringComparer.Ordinal);
        if (statuses.Count > 0) containers = [.. containers.Where(c => statuses.Contains(c.State))];
        var output = inv.Ctx.Out;
        if (a.Flag("services"))
        {
            foreach (var s in containers.Select(ProjectQueries.ServiceOf).Distinct(StringComparer.Ordinal)) output.WriteLine(s);
            return 0;
        }
        if (a.Flag("quiet"))
        {
            foreach (var c in containers) output.WriteLine(c.Id);
            return 0;
        }
        var now = DateTimeOffset.UtcNow;
        if (a.Value("format") == "json")
        {
            foreach (var c in containers)
            {
                var o = new JsonObject
                {
                    ["ID"] = c.Id,
                    ["Name"] = ProjectQueries.NameOf(c),
                    ["Image"] = c.Image,
                    ["Command"] = c.Command,
                    ["Project"] = name,
                    ["Service"] = ProjectQueries.ServiceOf(c),
                    ["State"] = c.State,
                    ["Status"] = c.Status,
                    ["Health"] = Health(c.Status),
                    ["ExitCode"] = 0,
                    ["Publishers"] = new JsonArray([.. c.Ports.Select(p => (JsonNode?)new JsonObject
                    {
                        ["URL"] = p.IP ?? "", ["TargetPort"] = p.PrivatePort, ["PublishedPort"] = p.PublicPort ?? 0, ["Protocol"] = p.Type,
                    })]),
                };
                output.WriteLine(o.ToJsonString());
            }
            return 0;
        }
        var rows = new List<string[]> { new[] { "NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS" } };
        foreach (var c in containers)
        {
            var command = a.Flag("no-trunc") || c.Command.Length <= 20 ? $"\"{c.Command}\"" : $"\"{c.Command[..19]}…\"";
            rows.Add([ProjectQueries.NameOf(c), c.Image, command, ProjectQueries.ServiceOf(c),
                HumanUnits.Duration(now - DateTimeOffset.FromUnixTimeSeconds(c.Created)) + " ago", c.Status, PortsFormatter.Format(c.Ports)]);
        }
        SimpleTable.Write(output, rows);
        return 0;
    }

    private static string Health(string status) =>
        status.Contains("(healthy)", StringComparison.Ordinal) ? "healthy"
        : status.Contains("(unhealthy)", StringComparison.Ordinal) ? "unhealthy"
        : status.Contains("(health: starting)", StringComparison.Ordinal) ? "starting" : "";
}

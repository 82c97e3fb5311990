using System.Text.Json.Nodes;
using Berth.Api.Models.Volumes;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;
using Berth.Cli.Templates;
using Berth.Client;

namespace Berth.Cli.Commands;

/// <summary><c>berth volume create|ls|inspect|rm|prune</c>, with docker's flags, columns and messages.</summary>
internal static class VolumeCommand
{
    private const string DefaultTable = "table {{.Driver}}\t{{.Name}}";

    public static Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        if (args.Length == 0) throw new UsageException("\"volume\" requires a subcommand: create, inspect, ls, prune, rm");
        var rest = args[1..];
        return args[0] switch
        {
            "create" => CreateAsync(ctx, rest, ct),
            "ls" or "list" => ListAsync(ctx, rest, ct),
            "inspect" => InspectAsync(ctx, rest, ct),
            "rm" or "remove" => RemoveAsync(ctx, rest, ct),
            "prune" => PruneAsync(ctx, rest, ct),
            _ => throw new UsageException($"unknown command \"{args[0]}\" for \"volume\""),
        };
    }

    private static async Task<int> CreateAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, [OptionSpec.Value("driver", 'd'), OptionSpec.Value("label"), OptionSpec.Value("opt", 'o'), OptionSpec.Value("name")]);
        if (a.Positionals.Count > 1) throw new UsageException("\"volume create\" requires at most 1 argument.");
        var name = a.Positionals.Count == 1 ? a.Positionals[0] : a.Value("name") ?? "";
        if (a.Positionals.Count == 1 && a.Value("name") is { } flagName && flagName != name)
            throw new UsageException($"conflicting options: either specify --name or provide positional arg, not both");
        var volume = await ctx.Client.CreateVolumeAsync(new VolumeCreateRequest
        {
            Name = name,
            Driver = a.Value("driver") ?? "local",
            DriverOpts = KeyValues(a.Values("opt")),
            Labels = KeyValues(a.Values("label")),
        }, ct);
        ctx.Out.WriteLine(volume.Name);
        return 0;
    }

    private static async Task<int> ListAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, [OptionSpec.Flag("quiet", 'q'), OptionSpec.Value("format"), OptionSpec.Value("filter", 'f'), OptionSpec.Flag("cluster")]);
        var list = await ctx.Client.ListVolumesAsync(FilterArgs.ToJson(a.Values("filter")), ct);
        var rows = list.Volumes.OrderBy(v => v.Name, StringComparer.Ordinal).Select(v => (JsonNode?)Row(v)).ToList();
        var format = a.Value("format") ?? "";
        var effective = a.Flag("quiet") ? "{{.Name}}" : format is "" or "table" ? DefaultTable : format;
        var header = new JsonObject
        {
            ["Name"] = "VOLUME NAME",
            ["Driver"] = "DRIVER",
            ["Scope"] = "SCOPE",
            ["Mountpoint"] = "MOUNTPOINT",
            ["Labels"] = "LABELS",
            ["Links"] = "LINKS",
            ["Size"] = "SIZE",
            ["CreatedAt"] = "CREATED",
        };
        FormatWriter.Write(ctx.Out, effective, header, rows, new TemplateOptions { RootTypeName = "*formatter.volumeContext" });
        return 0;
    }

    private static JsonObject Row(Volume v) => new()
    {
        ["Name"] = v.Name,
        ["Driver"] = v.Driver,
        ["Scope"] = v.Scope,
        ["Mountpoint"] = v.Mountpoint,
        ["CreatedAt"] = v.CreatedAt,
        ["Labels"] = string.Join(',', v.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value)),
        ["Links"] = "N/A",
        ["Size"] = "N/A",
    };

    private static async Task<int> InspectAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, [OptionSpec.Value("format", 'f')]);
        if (a.Positionals.Count == 0) throw new UsageException("\"volume inspect\" requires at least 1 argument.");
        var found = new List<byte[]>();
        var rc = 0;
        foreach (var name in a.Positionals)
        {
            try { found.Add(await ctx.Client.GetBytesAsync($"/volumes/{Query.Escape(name)}", ct)); }
            catch (DockerApiException ex) when (ex.IsNotFound)
            {
                ctx.Out.Flush();
                ctx.Err.WriteLine($"Error: No such volume: {name}");
                rc = 1;
            }
        }
        return InspectOutput.Write(ctx, found, a.Value("format"), rc);
    }

    private static async Task<int> RemoveAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, [OptionSpec.Flag("force", 'f')]);
        if (a.Positionals.Count == 0) throw new UsageException("\"volume rm\" requires at least 1 argument.");
        var rc = 0;
        foreach (var name in a.Positionals)
        {
            try
            {
                await ctx.Client.RemoveVolumeAsync(name, a.Flag("force"), ct);
                ctx.Out.WriteLine(name);
            }
            catch (DockerApiException ex)
            {
                ctx.Out.Flush();
                ctx.Err.WriteLine("Error response from daemon: " + ex.Message);
                rc = 1;
            }
        }
        return rc;
    }

    private static async Task<int> PruneAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, [OptionSpec.Flag("all", 'a'), OptionSpec.Flag("force", 'f'), OptionSpec.Value("filter")]);
        var filters = a.Values("filter").ToList();
        if (a.Flag("all")) filters.Add("all=true");
        if (!a.Flag("force"))
        {
            ctx.Out.Write(a.Flag("all")
                ? "WARNING! This will remove all local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] "
                : "WARNING! This will remove anonymous local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] ");
            ctx.Out.Flush();
            using var reader = new StreamReader(ctx.StdinStream, leaveOpen: true);
            var answer = (await reader.ReadLineAsync(ct))?.Trim().ToLowerInvariant();
            if (answer is not ("y" or "yes")) return 0;
        }
        var report = await ctx.Client.PruneVolumesAsync(FilterArgs.ToJson(filters), ct);
        if (report.VolumesDeleted.Count > 0)
        {
            ctx.Out.WriteLine("Deleted Volumes:");
            foreach (var v in report.VolumesDeleted) ctx.Out.WriteLine(v);
            ctx.Out.WriteLine();
        }
        ctx.Out.WriteLine("Total reclaimed space: " + HumanUnits.Size(report.SpaceReclaimed));
        return 0;
    }

    private static Dictionary<string, string> KeyValues(IReadOnlyList<string> items)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0) map[item] = "";
            else map[item[..eq]] = item[(eq + 1)..];
        }
        return map;
    }
}

using System.Text.Json;
using Berth.Api.Models;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;
using Berth.Client;

namespace Berth.Cli.Commands;

/// <summary><c>image prune</c>, <c>container prune</c> and <c>system prune|df</c>, with docker's prompts and reports.</summary>
internal static class PruneCommands
{
    private static readonly OptionSpec[] Specs = [OptionSpec.Flag("all", 'a'), OptionSpec.Flag("force", 'f'), OptionSpec.Value("filter"), OptionSpec.Flag("volumes"), OptionSpec.Value("format"), OptionSpec.Flag("verbose", 'v')];

    public static async Task<int> ImagePruneAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs);
        var warning = a.Flag("all") ? "WARNING! This will remove all images without at least one container associated to them." : "WARNING! This will remove all dangling images.";
        if (!a.Flag("force") && !Confirm(ctx, warning)) return 0;
        var reclaimed = await PruneImagesAsync(ctx, a.Flag("all"), a.Values("filter"), ct);
        ctx.Out.WriteLine($"Total reclaimed space: {HumanUnits.Size(reclaimed)}");
        return 0;
    }

    public static async Task<int> ContainerPruneAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs);
        if (!a.Flag("force") && !Confirm(ctx, "WARNING! This will remove all stopped containers.")) return 0;
        var reclaimed = await PruneContainersAsync(ctx, a.Values("filter"), ct);
        ctx.Out.WriteLine($"Total reclaimed space: {HumanUnits.Size(reclaimed)}");
        return 0;
    }

    /// <summary><c>system prune</c> calls, in docker's order: containers, networks, [volumes], images, build cache; <c>system df</c> prints usage.</summary>
    public static async Task<int> SystemAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        if (args.Length == 0) throw new UsageException("\"system\" requires a subcommand: df or prune");
        var a = ArgParser.Parse(args[1..], Specs);
        if (args[0] == "df") return await DiskUsageAsync(ctx, ct);
        if (args[0] != "prune") throw new UsageException($"unknown system subcommand: {args[0]}");
        var lines = new List<string> { "all stopped containers", "all networks not used by at least one container" };
        if (a.Flag("volumes")) lines.Add("all anonymous volumes not used by at least one container");
        lines.Add(a.Flag("all") ? "all images without at least one container associated to them" : "all dangling images");
        lines.Add(a.Flag("all") ? "all build cache" : "unused build cache");
        if (!a.Flag("force") && !Confirm(ctx, "WARNING! This will remove:\n" + string.Join('\n', lines.Select(l => "  - " + l)))) return 0;
        long total = await PruneContainersAsync(ctx, a.Values("filter"), ct);
        total += await OptionalPruneAsync(ctx, "/networks/prune", "Deleted Networks:", "NetworksDeleted", a.Values("filter"), ct);
        if (a.Flag("volumes")) total += await OptionalPruneAsync(ctx, "/volumes/prune", "Deleted Volumes:", "VolumesDeleted", a.Values("filter"), ct);
        total += await PruneImagesAsync(ctx, a.Flag("all"), a.Values("filter"), ct);
        await ctx.Client.PostAsync("/build/prune" + Query.Build(("all", a.Flag("all") ? "1" : null), ("filters", "")), ct);
        ctx.Out.WriteLine($"Total reclaimed space: {HumanUnits.Size(total)}");
        return 0;
    }

    private static async Task<long> PruneImagesAsync(CliContext ctx, bool all, IEnumerable<string> filters, CancellationToken ct)
    {
        var list = filters.ToList();
        list.Add(all ? "dangling=false" : "dangling=true");
        using var response = await ctx.Client.SendAsync(HttpMethod.Post, "/images/prune" + Query.Build(("filters", FilterArgs.ToJson(list))), new ByteArrayContent([]), ct);
        await using var s = await response.Content.ReadAsStreamAsync(ct);
        var report = await JsonSerializer.DeserializeAsync(s, ApiJsonContext.Default.ImagePruneResponse, ct);
        if (report?.ImagesDeleted is { Count: > 0 } deleted)
        {
            ctx.Out.WriteLine("Deleted Images:");
            foreach (var d in deleted) ctx.Out.WriteLine(d.Untagged is not null ? "untagged: " + d.Untagged : "deleted: " + d.Deleted);
            ctx.Out.WriteLine();
        }
        return report?.SpaceReclaimed ?? 0;
    }

    private static async Task<long> PruneContainersAsync(CliContext ctx, IEnumerable<string> filters, CancellationToken ct)
    {
        using var response = await ctx.Client.SendAsync(HttpMethod.Post, "/containers/prune" + Query.Build(("filters", FilterArgs.ToJson(filters.ToList()))), new ByteArrayContent([]), ct);
        await using var s = await response.Content.ReadAsStreamAsync(ct);
        var report = await JsonSerializer.DeserializeAsync(s, ApiJsonContext.Default.ContainerPruneResponse, ct);
        if (report?.ContainersDeleted is { Count: > 0 } deleted)
        {
            ctx.Out.WriteLine("Deleted Containers:");
            foreach (var d in deleted) ctx.Out.WriteLine(d);
            ctx.Out.WriteLine();
        }
        return report?.SpaceReclaimed ?? 0;
    }

    /// <summary>Networks and volumes belong to other areas; a daemon without their prune endpoint is skipped, not an error.</summary>
    private static async Task<long> OptionalPruneAsync(CliContext ctx, string route, string title, string field, IEnumerable<string> filters, CancellationToken ct)
    {
        using var response = await ctx.Client.SendAsync(HttpMethod.Post, route + Query.Build(("filters", FilterArgs.ToJson(filters.ToList()))), new ByteArrayContent([]), ct,
            null, System.Net.HttpStatusCode.NotFound);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return 0;
        var node = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync(ct));
        if (node?[field] is System.Text.Json.Nodes.JsonArray { Count: > 0 } items)
        {
            ctx.Out.WriteLine(title);
            foreach (var i in items) ctx.Out.WriteLine(i?.ToString());
            ctx.Out.WriteLine();
        }
        return node?["SpaceReclaimed"]?.GetValue<long>() ?? 0;
    }

    private static async Task<int> DiskUsageAsync(CliContext ctx, CancellationToken ct)
    {
        var df = await ctx.Client.GetNodeAsync("/system/df", ct);
        var images = df?["Images"]?.AsArray() ?? [];
        var containers = df?["Containers"]?.AsArray() ?? [];
        var volumes = df?["Volumes"]?.AsArray() ?? [];
        var imagesSize = df?["LayersSize"]?.GetValue<long>() ?? 0;
        var activeImages = images.Count(i => (i?["Containers"]?.GetValue<long>() ?? 0) > 0);
        var reclaimable = images.Where(i => (i?["Containers"]?.GetValue<long>() ?? 0) <= 0).Sum(i => i?["Size"]?.GetValue<long>() ?? 0);
        var running = containers.Count(c => c?["State"]?.GetValue<string>() == "running");
        string Pct(long part, long whole) => whole == 0 ? "" : $" ({100 * part / whole}%)";
        SimpleTable.Write(ctx.Out,
        [
            ["TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE"],
            ["Images", images.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), activeImages.ToString(System.Globalization.CultureInfo.InvariantCulture),
                HumanUnits.Size(imagesSize), HumanUnits.Size(Math.Min(reclaimable, imagesSize)) + Pct(Math.Min(reclaimable, imagesSize), imagesSize)],
            ["Containers", containers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), running.ToString(System.Globalization.CultureInfo.InvariantCulture), "0B", "0B"],
            ["Local Volumes", volumes.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), "0", "0B", "0B"],
            ["Build Cache", "0", "0", "0B", "0B"],
        ]);
        return 0;
    }

    private static bool Confirm(CliContext ctx, string warning)
    {
        ctx.Out.Write(warning + "\nAre you sure you want to continue? [y/N] ");
        ctx.Out.Flush();
        using var reader = new StreamReader(ctx.StdinStream, leaveOpen: true);
        var answer = reader.ReadLine()?.Trim().ToLowerInvariant();
        return answer is "y" or "yes";
    }
}

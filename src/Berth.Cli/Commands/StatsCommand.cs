using System.Text.Json.Nodes;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;
using Berth.Cli.Templates;
using Berth.Client;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth stats [CONTAINER...]</c>: docker's table of CPU %, memory, network, block I/O and PIDs. <c>--no-stream</c>
/// prints one table (each container's stats?stream=0, fetched in parallel); otherwise the table is redrawn every second
/// from one stats stream per container.
/// </summary>
internal static class StatsCommand
{
    private static readonly OptionSpec[] Specs = [OptionSpec.Flag("all", 'a'), OptionSpec.Flag("no-stream"), OptionSpec.Flag("no-trunc"), OptionSpec.Value("format")];

    public static async Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs);
        var trunc = !a.Flag("no-trunc");
        var format = a.Value("format") is { Length: > 0 } f && f != "table" ? f : StatsRows.DefaultTable;
        List<(string Arg, string Id, string Name)> targets;
        if (a.Positionals.Count > 0)
        {
            targets = [];
            foreach (var name in a.Positionals)
            {
                var c = await ctx.Client.InspectContainerAsync(name, ct);
                targets.Add((name, c.Id, c.Name));
            }
        }
        else
        {
            var list = await ctx.Client.ListContainersAsync(a.Flag("all"), null, false, null, ct);
            targets = [.. list.Select(c => (c.Id[..12], c.Id, c.Names.FirstOrDefault() ?? ""))];
        }

        if (a.Flag("no-stream"))
        {
            var samples = await Task.WhenAll(targets.Select(t => OneAsync(ctx.Client, t.Id, ct)));
            Write(ctx, format, targets, samples, trunc);
            return 0;
        }

        var latest = new JsonNode?[targets.Count];
        var readers = targets.Select((t, i) => FollowAsync(ctx.Client, t.Id, n => latest[i] = n, ct)).ToList();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            do
            {
                // Clear the screen and home the cursor, as docker does between refreshes.
                await ctx.Out.WriteAsync("\u001b[2J\u001b[H");
                Write(ctx, format, targets, latest, trunc);
                await ctx.Out.FlushAsync(ct);
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Ctrl-C ends the display.
        }
        await Task.WhenAll(readers);
        return 0;
    }

    private static void Write(CliContext ctx, string format, List<(string Arg, string Id, string Name)> targets, IReadOnlyList<JsonNode?> samples, bool trunc)
    {
        var rows = targets.Select((t, i) => (JsonNode?)StatsRows.Row(t.Arg, t.Id, t.Name, samples[i], trunc)).ToList();
        FormatWriter.Write(ctx.Out, format, StatsRows.Header(), rows, new TemplateOptions());
    }

    private static async Task<JsonNode?> OneAsync(BerthClient client, string id, CancellationToken ct)
    {
        await using var stream = await client.OpenStreamAsync(HttpMethod.Get, $"/containers/{Query.Escape(id)}/stats?stream=0", null, ct);
        await foreach (var node in BerthClient.ReadJsonLinesAsync(stream, ct)) return node;
        return null;
    }

    private static async Task FollowAsync(BerthClient client, string id, Action<JsonNode> update, CancellationToken ct)
    {
        try
        {
            await using var stream = await client.OpenStreamAsync(HttpMethod.Get, $"/containers/{Query.Escape(id)}/stats?stream=1", null, ct);
            await foreach (var node in BerthClient.ReadJsonLinesAsync(stream, ct)) update(node);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The display was closed.
        }
    }
}

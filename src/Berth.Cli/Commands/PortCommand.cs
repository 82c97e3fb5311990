using System.Text.Json.Nodes;
using Berth.Cli.Parsing;
using Berth.Client;

namespace Berth.Cli.Commands;

/// <summary><c>berth port CONTAINER [PRIVATE_PORT[/PROTO]]</c>: the published host ports, from NetworkSettings.Ports.</summary>
internal static class PortCommand
{
    public static async Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, []);
        if (a.Positionals.Count is 0 or > 2) throw new UsageException("\"port\" requires at least 1 and at most 2 arguments.");
        var node = await ctx.Client.GetNodeAsync($"/containers/{Query.Escape(a.Positionals[0])}/json", ct);
        var ports = node?["NetworkSettings"]?["Ports"] as JsonObject ?? [];
        string? wanted = null;
        if (a.Positionals.Count == 2) wanted = a.Positionals[1].Contains('/') ? a.Positionals[1] : a.Positionals[1] + "/tcp";
        var any = false;
        foreach (var (key, value) in ports.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (wanted is not null && key != wanted) continue;
            foreach (var b in value as JsonArray ?? [])
            {
                var ip = b?["HostIp"]?.GetValue<string>() ?? "";
                var hostPort = b?["HostPort"]?.GetValue<string>() ?? "";
                var shown = ip.Contains(':') ? $"[{ip}]:{hostPort}" : $"{ip}:{hostPort}";
                ctx.Out.WriteLine(wanted is null ? $"{key} -> {shown}" : shown);
                any = true;
            }
        }
        if (wanted is not null && !any)
        {
            ctx.Err.WriteLine($"Error: No public port '{wanted}' published for {a.Positionals[0]}");
            return 1;
        }
        return 0;
    }
}

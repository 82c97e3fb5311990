using System.Text.Json.Nodes;
using Berth.Api.Models;
using Berth.Api.Models.Containers;
using Berth.Api.Models.Networks;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;
using Berth.Cli.Templates;
using Berth.Client;

namespace Berth.Cli.Commands;

/// <summary><c>berth network create|ls|inspect|rm|prune|connect|disconnect</c>, printing what docker prints.</summary>
internal static class NetworkCommand
{
    private static readonly OptionSpec[] CreateSpecs =
    [
        OptionSpec.Value("driver", 'd'), OptionSpec.Value("subnet"), OptionSpec.Value("ip-range"), OptionSpec.Value("gateway"),
        OptionSpec.Flag("internal"), OptionSpec.Flag("attachable"), OptionSpec.Value("label"), OptionSpec.Value("opt", 'o'),
        OptionSpec.Flag("ipv6"), OptionSpec.Value("ipam-driver"), OptionSpec.Value("ipam-opt"), OptionSpec.Value("aux-address"), OptionSpec.Value("scope"),
    ];

    private static readonly OptionSpec[] ListSpecs = [OptionSpec.Flag("quiet", 'q'), OptionSpec.Value("filter", 'f'), OptionSpec.Value("format"), OptionSpec.Flag("no-trunc")];

    public static Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        if (args.Length == 0) throw new UsageException("Usage:  berth network COMMAND\n\nManage networks\n\nCommands:\n  connect, create, disconnect, inspect, ls, prune, rm");
        var rest = args[1..];
        return args[0] switch
        {
            "create" => CreateAsync(ctx, rest, ct),
            "ls" or "list" => ListAsync(ctx, rest, ct),
            "inspect" => InspectAsync(ctx, rest, ct),
            "rm" or "remove" => RemoveAsync(ctx, rest, ct),
            "prune" => PruneAsync(ctx, rest, ct),
            "connect" => ConnectAsync(ctx, rest, ct),
            "disconnect" => DisconnectAsync(ctx, rest, ct),
            _ => throw new UsageException($"unknown command \"{args[0]}\" for \"berth network\""),
        };
    }

    private static async Task<int> CreateAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, CreateSpecs);
        if (a.Positionals.Count != 1) throw new UsageException("\"network create\" requires exactly 1 argument.");
        var config = new IpamConfig { Subnet = a.Value("subnet"), IPRange = a.Value("ip-range"), Gateway = a.Value("gateway") };
        var req = new NetworkCreateRequest
        {
            Name = a.Positionals[0], Driver = a.Value("driver") ?? "bridge", Internal = a.Flag("internal"), Attachable = a.Flag("attachable"),
            EnableIPv6 = a.Has("ipv6") ? a.Flag("ipv6") : null,
            IPAM = new Ipam { Driver = a.Value("ipam-driver") ?? "default", Config = config.Subnet is null && config.IPRange is null && config.Gateway is null ? [] : [config], Options = Pairs(a.Values("ipam-opt")) },
            Options = Pairs(a.Values("opt")), Labels = Pairs(a.Values("label")),
        };
        var created = await ctx.Client.PostJsonAsync("/networks/create", req, ApiJsonContext.Default.NetworkCreateRequest, ApiJsonContext.Default.NetworkCreateResponse, ct);
        ctx.Out.WriteLine(created.Id);
        return 0;
    }

    private static async Task<int> ListAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, ListSpecs);
        var filters = FilterArgs.ToJson(a.Values("filter"));
        var list = await ctx.Client.GetJsonAsync("/networks" + Query.Build(("filters", filters)), ApiJsonContext.Default.ListNetworkResource, ct);
        if (a.Flag("quiet"))
        {
            foreach (var n in list) ctx.Out.WriteLine(a.Flag("no-trunc") ? n.Id : n.Id[..12]);
            return 0;
        }
        var tw = new TabWriter(ctx.Out);
        tw.Write("NETWORK ID\tNAME\tDRIVER\tSCOPE\n");
        foreach (var n in list) tw.Write($"{(a.Flag("no-trunc") ? n.Id : n.Id[..12])}\t{n.Name}\t{n.Driver}\t{n.Scope}\n");
        tw.Flush();
        return 0;
    }

    private static async Task<int> InspectAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, [OptionSpec.Value("format", 'f'), OptionSpec.Flag("verbose", 'v')]);
        if (a.Positionals.Count == 0) throw new UsageException("\"network inspect\" requires at least 1 argument.");
        var found = new List<byte[]>();
        var rc = 0;
        foreach (var name in a.Positionals)
        {
            try { found.Add(await ctx.Client.GetBytesAsync($"/networks/{Query.Escape(name)}", ct)); }
            catch (DockerApiException ex) when (ex.IsNotFound)
            {
                ctx.Out.Flush();
                ctx.Err.WriteLine("Error response from daemon: " + ex.Message);
                rc = 1;
            }
        }
        return InspectOutput.Write(ctx, found, a.Value("format"), rc);
    }

    private static async Task<int> RemoveAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, [OptionSpec.Flag("force", 'f')]);
        if (a.Positionals.Count == 0) throw new UsageException("\"network rm\" requires at least 1 argument.");
        var rc = 0;
        foreach (var name in a.Positionals)
        {
            try
            {
                await ctx.Client.DeleteAsync($"/networks/{Query.Escape(name)}", ct);
                ctx.Out.WriteLine(name);
            }
            catch (DockerApiException ex) when (!(a.Flag("force") && ex.IsNotFound))
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
        var a = ArgParser.Parse(args, [OptionSpec.Flag("force", 'f'), OptionSpec.Value("filter")]);
        if (!a.Flag("force"))
        {
            ctx.Out.Write("WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue? [y/N] ");
            ctx.Out.Flush();
            if (Console.In.ReadLine()?.Trim().ToLowerInvariant() is not ("y" or "yes")) return 0;
        }
        var route = "/networks/prune" + Query.Build(("filters", FilterArgs.ToJson(a.Values("filter"))));
        using var response = await ctx.Client.SendAsync(HttpMethod.Post, route, new ByteArrayContent([]), ct);
        var result = System.Text.Json.JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(ct), ApiJsonContext.Default.NetworkPruneResponse);
        if (result?.NetworksDeleted is { Count: > 0 } deleted)
        {
            ctx.Out.WriteLine("Deleted Networks:");
            foreach (var n in deleted) ctx.Out.WriteLine(n);
        }
        return 0;
    }

    private static async Task<int> ConnectAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, [OptionSpec.Value("alias"), OptionSpec.Value("ip"), OptionSpec.Value("ip6"), OptionSpec.Value("link"), OptionSpec.Value("driver-opt")]);
        if (a.Positionals.Count != 2) throw new UsageException("\"network connect\" requires exactly 2 arguments.");
        var endpoint = new EndpointSettings { Aliases = a.Values("alias") is { Count: > 0 } al ? [.. al] : null };
        if (a.Value("ip") is { } ip) endpoint.IPAMConfig = new EndpointIpamConfig { IPv4Address = ip };
        var body = new NetworkConnectRequest { Container = a.Positionals[1], EndpointConfig = endpoint };
        await ctx.Client.PostAsync($"/networks/{Query.Escape(a.Positionals[0])}/connect", ct, BerthClient.JsonContent(body, ApiJsonContext.Default.NetworkConnectRequest));
        return 0;
    }

    private static async Task<int> DisconnectAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, [OptionSpec.Flag("force", 'f')]);
        if (a.Positionals.Count != 2) throw new UsageException("\"network disconnect\" requires exactly 2 arguments.");
        var body = new NetworkDisconnectRequest { Container = a.Positionals[1], Force = a.Flag("force") };
        await ctx.Client.PostAsync($"/networks/{Query.Escape(a.Positionals[0])}/disconnect", ct, BerthClient.JsonContent(body, ApiJsonContext.Default.NetworkDisconnectRequest));
        return 0;
    }

    private static Dictionary<string, string>? Pairs(IReadOnlyList<string> items)
    {
        if (items.Count == 0) return null;
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var i in items)
        {
            var eq = i.IndexOf('=');
            d[eq < 0 ? i : i[..eq]] = eq < 0 ? "" : i[(eq + 1)..];
        }
        return d;
    }
}

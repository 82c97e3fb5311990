using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Berth.Cli.Parsing;
using Berth.Cli.Templates;
using Berth.Client;

namespace Berth.Cli.Commands;

/// <summary><c>berth version [-f FORMAT]</c>: client block, then the daemon's <c>/version</c> (template data is
/// <c>{Client, Server}</c> as in docker).</summary>
internal static class VersionCommand
{
    public const string ClientVersion = "0.1.0";

    private static readonly OptionSpec[] Specs = [OptionSpec.Value("format", 'f')];

    public static async Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs);
        var arch = RuntimeInformation.OSArchitecture switch { Architecture.X64 => "amd64", Architecture.Arm64 => "arm64", var x => x.ToString().ToLowerInvariant() };
        var client = new JsonObject
        {
            ["Platform"] = new JsonObject { ["Name"] = "Berth" },
            ["Version"] = ClientVersion,
            ["ApiVersion"] = BerthClient.DefaultApiVersion,
            ["DefaultAPIVersion"] = BerthClient.DefaultApiVersion,
            ["GitCommit"] = "",
            ["GoVersion"] = ".NET " + Environment.Version,
            ["Os"] = "linux",
            ["Arch"] = arch,
            ["BuildTime"] = "",
            ["Context"] = "default",
        };
        JsonNode? server = null;
        string? serverError = null;
        try
        {
            server = await ctx.Client.GetNodeAsync("/version", ct);
        }
        catch (Exception ex) when (ex is DockerApiException or DaemonUnavailableException)
        {
            serverError = ex is DockerApiException ? "Error response from daemon: " + ex.Message : ex.Message;
        }
        if (a.Value("format") is { Length: > 0 } format)
        {
            var data = new JsonObject { ["Client"] = client, ["Server"] = server?.DeepClone() };
            ctx.Out.WriteLine(GoTemplate.Parse(FormatWriter.TemplateString(format)).Execute(data));
            return serverError is null ? 0 : 1;
        }
        ctx.Out.WriteLine("Client:");
        Row(ctx, " Version:", ClientVersion);
        Row(ctx, " API version:", BerthClient.DefaultApiVersion);
        Row(ctx, " Runtime:", ".NET " + Environment.Version);
        Row(ctx, " OS/Arch:", "linux/" + arch);
        Row(ctx, " Context:", "default");
        if (server is null)
        {
            ctx.Out.Flush();
            ctx.Err.WriteLine(serverError);
            return 1;
        }
        ctx.Out.WriteLine();
        ctx.Out.WriteLine($"Server: {server["Platform"]?["Name"]?.GetValue<string>()}");
        ctx.Out.WriteLine(" Engine:");
        Row(ctx, "  Version:", Str(server, "Version"));
        Row(ctx, "  API version:", $"{Str(server, "ApiVersion")} (minimum version {Str(server, "MinAPIVersion")})");
        Row(ctx, "  Go version:", Str(server, "GoVersion"));
        Row(ctx, "  Git commit:", Str(server, "GitCommit"));
        Row(ctx, "  Built:", Str(server, "BuildTime"));
        Row(ctx, "  OS/Arch:", $"{Str(server, "Os")}/{Str(server, "Arch")}");
        Row(ctx, "  Experimental:", server["Experimental"]?.ToJsonString() ?? "false");
        foreach (var comp in server["Components"] as JsonArray ?? [])
        {
            if (comp?["Name"]?.GetValue<string>() is not { } name || name == "Engine") continue;
            ctx.Out.WriteLine($" {name}:");
            Row(ctx, "  Version:", comp["Version"]?.GetValue<string>() ?? "");
        }
        return 0;
    }

    private static string Str(JsonNode n, string key) => n[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : n[key]?.ToJsonString() ?? "";

    private static void Row(CliContext ctx, string label, string value) => ctx.Out.WriteLine($"{label,-19}{value}");
}

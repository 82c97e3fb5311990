using System.Text.Json.Nodes;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands;

/// <summary><c>berth info [-f FORMAT]</c>: the lines of <c>docker info</c>'s Server section that /info fills.</summary>
internal static class InfoCommand
{
    private static readonly OptionSpec[] Specs = [OptionSpec.Value("format", 'f')];

    public static async Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs);
        var info = await ctx.Client.GetNodeAsync("/info", ct) ?? new JsonObject();
        if (a.Value("format") is { Length: > 0 } format)
        {
            ctx.Out.WriteLine(GoTemplate.Parse(FormatWriter.TemplateString(format)).Execute(info));
            return 0;
        }
        var o = ctx.Out;
        o.WriteLine("Client:");
        o.WriteLine($" Version:    {VersionCommand.ClientVersion}");
        o.WriteLine(" Context:    default");
        o.WriteLine(" Debug Mode: false");
        o.WriteLine();
        o.WriteLine("Server:");
        o.WriteLine($" Containers: {S(info, "Containers")}");
        o.WriteLine($"  Running: {S(info, "ContainersRunning")}");
        o.WriteLine($"  Paused: {S(info, "ContainersPaused")}");
        o.WriteLine($"  Stopped: {S(info, "ContainersStopped")}");
        o.WriteLine($" Images: {S(info, "Images")}");
        o.WriteLine($" Server Version: {S(info, "ServerVersion")}");
        o.WriteLine($" Storage Driver: {S(info, "Driver")}");
        foreach (var pair in info["DriverStatus"] as JsonArray ?? [])
        {
            if (pair is JsonArray { Count: 2 } kv) o.WriteLine($"  {kv[0]}: {kv[1]}");
        }
        o.WriteLine($" Logging Driver: {S(info, "LoggingDriver")}");
        o.WriteLine($" Cgroup Driver: {S(info, "CgroupDriver")}");
        o.WriteLine($" Cgroup Version: {S(info, "CgroupVersion")}");
        if (info["Runtimes"] is JsonObject runtimes) o.WriteLine($" Runtimes: {string.Join(" ", runtimes.Select(kv => kv.Key).Order(StringComparer.Ordinal))}");
        o.WriteLine($" Default Runtime: {S(info, "DefaultRuntime")}");
        if (info["SecurityOptions"] is JsonArray sec && sec.Count > 0)
        {
            o.WriteLine(" Security Options:");
            foreach (var opt in sec)
            {
                foreach (var part in (opt?.GetValue<string>() ?? "").Split(','))
                {
                    var kv = part.Split('=', 2);
                    if (kv[0] == "name") o.WriteLine($"  {kv[1]}");
                    else if (kv.Length == 2) o.WriteLine($"   {char.ToUpperInvariant(kv[0][0])}{kv[0][1..]}: {kv[1]}");
                }
            }
        }
        o.WriteLine($" Kernel Version: {S(info, "KernelVersion")}");
        o.WriteLine($" Operating System: {S(info, "OperatingSystem")}");
        o.WriteLine($" OSType: {S(info, "OSType")}");
        o.WriteLine($" Architecture: {S(info, "Architecture")}");
        o.WriteLine($" CPUs: {S(info, "NCPU")}");
        o.WriteLine($" Total Memory: {(info["MemTotal"] is JsonValue mem && mem.TryGetValue<long>(out var m) ? Binary(m) : "")}");
        o.WriteLine($" Name: {S(info, "Name")}");
        o.WriteLine($" ID: {S(info, "ID")}");
        o.WriteLine($" Docker Root Dir: {S(info, "DockerRootDir")}");
        o.WriteLine($" Debug Mode: {S(info, "Debug")}");
        o.WriteLine($" Experimental: {S(info, "ExperimentalBuild")}");
        o.WriteLine($" Live Restore Enabled: {S(info, "LiveRestoreEnabled")}");
        foreach (var w in info["Warnings"] as JsonArray ?? [])
        {
            ctx.Err.WriteLine(w?.GetValue<string>());
        }
        return 0;
    }

    private static string S(JsonNode n, string key) => n[key] switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        var x => x.ToJsonString(),
    };

    /// <summary>go-units BytesSize (binary, 4 significant digits): <c>15.55GiB</c>.</summary>
    private static string Binary(double size)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        var i = 0;
        while (size >= 1024 && i < units.Length - 1)
        {
            size /= 1024;
            i++;
        }
        return HumanUnits.FormatG(size, 4) + units[i];
    }
}

using System.Text.Json.Nodes;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>berth update</c>: resource limits and restart policy, <c>POST /containers/{id}/update</c>.</summary>
internal static class UpdateCommand
{
    private static readonly OptionSpec[] Specs =
    [
        OptionSpec.Value("memory", 'm'), OptionSpec.Value("memory-swap"), OptionSpec.Value("memory-reservation"), OptionSpec.Value("cpus"),
        OptionSpec.Value("cpu-shares", 'c'), OptionSpec.Value("cpuset-cpus"), OptionSpec.Value("pids-limit"), OptionSpec.Value("restart"),
    ];

    public static Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs);
        var body = new JsonObject();
        if (a.Value("memory") is { } m) body["Memory"] = Units.RamInBytes(m);
        if (a.Value("memory-swap") is { } ms) body["MemorySwap"] = ms == "-1" ? -1 : Units.RamInBytes(ms);
        if (a.Value("memory-reservation") is { } mr) body["MemoryReservation"] = Units.RamInBytes(mr);
        if (a.Value("cpus") is { } cpus) body["NanoCpus"] = Units.NanoCpus(cpus);
        if (a.Value("cpu-shares") is { } cs) body["CpuShares"] = long.Parse(cs, System.Globalization.CultureInfo.InvariantCulture);
        if (a.Value("cpuset-cpus") is { } set) body["CpusetCpus"] = set;
        if (a.Value("pids-limit") is { } pl) body["PidsLimit"] = long.Parse(pl, System.Globalization.CultureInfo.InvariantCulture);
        if (a.Value("restart") is { } r)
        {
            var policy = ContainerOptions.ParseRestart(r);
            body["RestartPolicy"] = new JsonObject { ["Name"] = policy.Name, ["MaximumRetryCount"] = policy.MaximumRetryCount };
        }
        if (body.Count == 0) throw new UsageException("you must provide one or more flags when using this command");
        return MultiTarget.RunAsync(ctx, a.Positionals, async n =>
        {
            var result = await ctx.Client.UpdateContainerAsync(n, (JsonObject)body.DeepClone(), ct);
            foreach (var w in result.Warnings) ctx.Err.WriteLine("WARNING: " + w);
        });
    }
}

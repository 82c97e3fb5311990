using System.Text.Json.Nodes;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;
using Berth.Cli.Templates;
using Berth.Client;

namespace Berth.Cli.Commands;

/// <summary><c>berth inspect [-f FORMAT] [--type container|image]</c>: the daemon's raw JSON re-indented, or a template
/// per object (missing keys are errors, as in docker's raw fallback).</summary>
internal static class InspectCommand
{
    private static readonly OptionSpec[] Specs = [OptionSpec.Value("format", 'f'), OptionSpec.Value("type"), OptionSpec.Flag("size", 's')];

    public static async Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs);
        if (a.Positionals.Count == 0) throw new UsageException("\"inspect\" requires at least 1 argument.");
        var type = a.Value("type");
        if (type is not (null or "container" or "image")) throw new UsageException($"\"{type}\" is not a valid value for --type");
        var found = new List<byte[]>();
        var rc = 0;
        foreach (var name in a.Positionals)
        {
            var raw = await FindAsync(ctx, name, type, a.Flag("size"), ct);
            if (raw is null)
            {
                ctx.Out.Flush();
                ctx.Err.WriteLine(type is null ? $"Error: No such object: {name}" : $"Error: No such {type}: {name}");
                rc = 1;
                continue;
            }
            found.Add(raw);
        }
        return InspectOutput.Write(ctx, found, a.Value("format"), rc);
    }

    private static async Task<byte[]?> FindAsync(CliContext ctx, string name, string? type, bool size, CancellationToken ct)
    {
        if (type is null or "container")
        {
            try
            {
                return await ctx.Client.GetBytesAsync($"/containers/{Query.Escape(name)}/json" + (size ? "?size=1" : ""), ct);
            }
            catch (DockerApiException ex) when (ex.IsNotFound)
            {
                // Try the next object type, as docker's untyped inspect does.
            }
        }
        if (type is null or "image")
        {
            try
            {
                return await ctx.Client.GetBytesAsync($"/images/{name}/json", ct);
            }
            catch (DockerApiException ex) when (ex.IsNotFound)
            {
                // Not an image either.
            }
        }
        return null;
    }
}

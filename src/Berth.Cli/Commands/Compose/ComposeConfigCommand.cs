using Berth.Cli.Parsing;
using Berth.Compose.Engine;

namespace Berth.Cli.Commands.Compose;

/// <summary><c>compose config [-q] [--services] [--volumes] [--networks] [--images] [--hash S] [-o FILE]</c>: validates and
/// prints the normalized model (the loader's writer).</summary>
internal static class ComposeConfigCommand
{
    private static readonly OptionSpec[] Specs =
    [
        OptionSpec.Flag("quiet", 'q'), OptionSpec.Flag("services"), OptionSpec.Flag("volumes"), OptionSpec.Flag("networks"), OptionSpec.Flag("images"),
        OptionSpec.Flag("profiles"), OptionSpec.Value("hash"), OptionSpec.Value("output", 'o'), OptionSpec.Value("format"), OptionSpec.Flag("no-interpolate"),
        OptionSpec.Flag("resolve-image-digests"), OptionSpec.Flag("no-normalize"), OptionSpec.Flag("no-path-resolution"), OptionSpec.Flag("no-consistency"),
    ];

    public static async Task<int> RunAsync(ComposeInvocation inv, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs);
        var project = await inv.LoadAsync(a.Positionals, ct);
        var output = inv.Ctx.Out;
        if (a.Flag("quiet")) return 0;
        if (a.Flag("services"))
        {
            foreach (var s in project.Services.Keys) output.WriteLine(s);
            return 0;
        }
        if (a.Flag("volumes"))
        {
            foreach (var v in project.Volumes.Keys) output.WriteLine(v);
            return 0;
        }
        if (a.Flag("networks"))
        {
            foreach (var n in project.Networks.Keys) output.WriteLine(n);
            return 0;
        }
        if (a.Flag("profiles"))
        {
            foreach (var p in project.Services.Values.Concat(project.DisabledServices.Values).SelectMany(s => s.Profiles).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
                output.WriteLine(p);
            return 0;
        }
        if (a.Flag("images"))
        {
            foreach (var s in project.Services.Values) output.WriteLine(ContainerRequestBuilder.ImageName(project, s));
            return 0;
        }
        if (a.Value("hash") is { } hashOf)
        {
            var engine = inv.Engine();
            var names = hashOf == "*" ? project.Services.Keys.ToList() : [.. hashOf.Split(',')];
            ComposeEngine.CheckServices(project, names);
            foreach (var n in names) output.WriteLine($"{n} {engine.ConfigHash(project.Services[n])}");
            return 0;
        }
        var text = ConfigText.Render(project, a.Value("format") ?? "yaml");
        if (a.Value("output") is { Length: > 0 } file) await File.WriteAllTextAsync(file, text, ct);
        else await output.WriteAsync(text);
        return 0;
    }
}

using Berth.Cli.Formatting;
using Berth.Cli.Parsing;
using Berth.Compose.Engine;

namespace Berth.Cli.Commands.Compose;

/// <summary><c>compose build</c>, <c>pull</c>, <c>push</c> and <c>images</c>.</summary>
internal static class ComposeImageCommands
{
    private static readonly OptionSpec[] BuildSpecs =
    [
        OptionSpec.Flag("no-cache"), OptionSpec.Flag("pull"), OptionSpec.Flag("quiet", 'q'), OptionSpec.Value("build-arg"), OptionSpec.Flag("with-dependencies"),
        OptionSpec.Value("progress"), OptionSpec.Value("memory", 'm'), OptionSpec.Value("builder"), OptionSpec.Flag("push"), OptionSpec.Value("ssh"),
    ];

    private static readonly OptionSpec[] PullSpecs =
    [
        OptionSpec.Flag("ignore-pull-failures"), OptionSpec.Flag("quiet", 'q'), OptionSpec.Flag("include-deps"), OptionSpec.Value("policy"),
        OptionSpec.Flag("ignore-buildable"),
    ];

    private static readonly OptionSpec[] ImagesSpecs = [OptionSpec.Flag("quiet", 'q'), OptionSpec.Value("format")];

    public static async Task<int> BuildAsync(ComposeInvocation inv, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, BuildSpecs);
        var project = await inv.LoadAsync(a.Positionals, ct);
        if (a.Values("build-arg").Count > 0 || a.Flag("no-cache") || a.Flag("pull"))
        {
            // Command-line build args override the file's, as with Compose.
            var args2 = a.Values("build-arg");
            project = project with
            {
                Services = project.Services.ToDictionary(p => p.Key, p => p.Value.Build is null ? p.Value : p.Value with
                {
                    Build = p.Value.Build with
                    {
                        NoCache = p.Value.Build.NoCache || a.Flag("no-cache"),
                        Pull = p.Value.Build.Pull || a.Flag("pull"),
                        Args = Merge(p.Value.Build.Args, args2, inv.Ctx.Env),
                    },
                }, StringComparer.Ordinal),
            };
        }
        await inv.Engine().BuildAsync(project, a.Positionals, ct);
        return 0;
    }

    private static SortedDictionary<string, string?> Merge(IReadOnlyDictionary<string, string?> file, IReadOnlyList<string> cli, Func<string, string?> env)
    {
        var merged = new SortedDictionary<string, string?>(file.ToDictionary(), StringComparer.Ordinal);
        foreach (var kv in cli)
        {
            var eq = kv.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0) merged[kv] = env(kv);
            else merged[kv[..eq]] = kv[(eq + 1)..];
        }
        return merged;
    }

    public static async Task<int> PullAsync(ComposeInvocation inv, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, PullSpecs);
        var project = await inv.LoadAsync(a.Positionals, ct);
        await inv.Engine().PullAsync(project, a.Positionals, a.Flag("ignore-pull-failures"), ct);
        return 0;
    }

    public static async Task<int> PushAsync(ComposeInvocation inv, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, [OptionSpec.Flag("ignore-push-failures"), OptionSpec.Flag("include-deps"), OptionSpec.Flag("quiet", 'q')]);
        var project = await inv.LoadAsync(a.Positionals, ct);
        await inv.Engine().PushAsync(project, a.Positionals, ct);
        return 0;
    }

    /// <summary>Compose v2's columns: CONTAINER REPOSITORY TAG IMAGE ID SIZE.</summary>
    public static async Task<int> ImagesAsync(ComposeInvocation inv, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, ImagesSpecs);
        var (name, _) = await inv.ProjectOrNameAsync(ct);
        var containers = await inv.Engine().ContainersAsync(name, a.Positionals, all: true, oneOff: false, ct);
        var images = await inv.Ctx.Client.ListImagesAsync(true, false, null, ct);
        var rows = new List<string[]> { new[] { "CONTAINER", "REPOSITORY", "TAG", "IMAGE ID", "SIZE" } };
        foreach (var c in containers)
        {
            var image = images.FirstOrDefault(i => i.Id == c.ImageID);
            if (a.Flag("quiet"))
            {
                inv.Ctx.Out.WriteLine(c.ImageID);
                continue;
            }
            var tag = image?.RepoTags.FirstOrDefault(t => t == c.Image || t == c.Image + ":latest") ?? image?.RepoTags.FirstOrDefault() ?? c.Image;
            var (repo, t) = ComposeEngine.SplitReference(tag);
            var id = c.ImageID.StartsWith("sha256:", StringComparison.Ordinal) ? c.ImageID[7..] : c.ImageID;
            rows.Add([ProjectQueries.NameOf(c), repo, t, id[..Math.Min(12, id.Length)], image is null ? "" : HumanUnits.Size(image.Size)]);
        }
        if (!a.Flag("quiet")) SimpleTable.Write(inv.Ctx.Out, rows);
        return 0;
    }
}

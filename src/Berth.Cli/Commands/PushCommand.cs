using Berth.Cli.Formatting;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>berth push [-a] NAME[:TAG]</c>: progress lines, then the digest line, as docker prints them without a TTY.</summary>
internal static class PushCommand
{
    private static readonly OptionSpec[] Specs = [OptionSpec.Flag("all-tags", 'a'), OptionSpec.Flag("quiet", 'q'), OptionSpec.Value("platform")];

    public static async Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs);
        if (a.Positionals.Count != 1) throw new UsageException("\"push\" requires exactly 1 argument.");
        var name = a.Positionals[0];
        var hasTag = name.LastIndexOf(':') > name.LastIndexOf('/');
        var (repo, tag) = ReferenceText.Split(name);
        if (a.Flag("all-tags"))
        {
            if (hasTag) throw new UsageException("tag can't be used with --all-tags/-a");
            tag = "";
        }
        else if (!hasTag) ctx.Out.WriteLine("Using default tag: latest");
        var auth = DockerConfigFile.AuthHeaderFor(ctx.Env, RegistryOf(repo));
        var stream = await ctx.Client.PushImageAsync(repo, string.IsNullOrEmpty(tag) ? null : tag, auth, ct);
        var output = a.Flag("quiet") ? TextWriter.Null : ctx.Out;
        await PullProgress.RenderAsync(stream, output, ct, ctx.TerminalOf(output));
        if (a.Flag("quiet")) ctx.Out.WriteLine(name);
        return 0;
    }

    /// <summary>The registry part of a (full) repository name: <c>docker.io</c> unless the first component looks like a host.</summary>
    public static string RegistryOf(string repository)
    {
        var slash = repository.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0) return "docker.io";
        var first = repository[..slash];
        return first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost" ? first : "docker.io";
    }
}

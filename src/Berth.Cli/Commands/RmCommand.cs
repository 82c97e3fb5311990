using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>berth rm [-f] [-v]</c>: <c>DELETE /containers/{id}?force=1&amp;v=1</c>.</summary>
internal static class RmCommand
{
    private static readonly OptionSpec[] Specs = [OptionSpec.Flag("force", 'f'), OptionSpec.Flag("volumes", 'v'), OptionSpec.Flag("link", 'l')];

    public static Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs);
        return MultiTarget.RunAsync(ctx, a.Positionals, n => ctx.Client.RemoveContainerAsync(n, a.Flag("force"), a.Flag("volumes"), ct));
    }
}

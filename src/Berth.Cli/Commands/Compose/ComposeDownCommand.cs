using Berth.Cli.Parsing;
using Berth.Compose.Engine;

namespace Berth.Cli.Commands.Compose;

/// <summary><c>compose down [-v] [--rmi local|all] [--remove-orphans] [-t N]</c>; with <c>-p NAME</c> it needs no file.</summary>
internal static class ComposeDownCommand
{
    private static readonly OptionSpec[] Specs =
    [
        OptionSpec.Flag("volumes", 'v'), OptionSpec.Value("rmi"), OptionSpec.Flag("remove-orphans"), OptionSpec.Value("timeout", 't'),
    ];

    public static async Task<int> RunAsync(ComposeInvocation inv, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs);
        var (name, project) = await inv.ProjectOrNameAsync(ct);
        await inv.Engine().DownAsync(name, project, new DownOptions
        {
            Volumes = a.Flag("volumes"),
            RemoveImages = a.Value("rmi"),
            RemoveOrphans = a.Flag("remove-orphans"),
            Timeout = a.Int("timeout"),
        }, ct);
        return 0;
    }
}

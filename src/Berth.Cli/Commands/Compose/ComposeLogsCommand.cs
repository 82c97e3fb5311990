using Berth.Cli.Parsing;
using Berth.Compose.Engine;

namespace Berth.Cli.Commands.Compose;

/// <summary><c>compose logs [-f] [-n N] [-t] [--no-color] [--no-log-prefix] [SERVICE...]</c>: every container's log,
/// each line prefixed <c>api-1  | </c> and coloured per service on a terminal.</summary>
internal static class ComposeLogsCommand
{
    private static readonly OptionSpec[] Specs =
    [
        OptionSpec.Flag("follow", 'f'), OptionSpec.Value("tail", 'n'), OptionSpec.Flag("timestamps", 't'), OptionSpec.Flag("no-color"),
        OptionSpec.Flag("no-log-prefix"), OptionSpec.Value("since"), OptionSpec.Value("until"), OptionSpec.Value("index"),
    ];

    public static async Task<int> RunAsync(ComposeInvocation inv, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs);
        var (name, project) = await inv.ProjectOrNameAsync(ct);
        if (project is not null) ComposeEngine.CheckServices(project, a.Positionals);
        var containers = await inv.Engine().ContainersAsync(name, a.Positionals, all: true, oneOff: false, ct);
        var printer = new ComposeLogPrinter(inv.Ctx.Out, inv.StdoutIsTerminal && !a.Flag("no-color"), !a.Flag("no-log-prefix"));
        printer.Register(containers.Select(c => ComposeLogPrinter.ShortName(name, c)));
        await Task.WhenAll(containers.Select(c => printer.StreamAsync(inv.Ctx.Client, c, ProjectQueries.ServiceOf(c), ComposeLogPrinter.ShortName(name, c),
            a.Flag("follow"), a.Value("tail"), a.Flag("timestamps"), ct)));
        return 0;
    }
}

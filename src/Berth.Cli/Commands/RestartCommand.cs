using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>berth restart [-t N] [-s SIG]</c>.</summary>
internal static class RestartCommand
{
    private static readonly OptionSpec[] Specs = [OptionSpec.Value("time", 't', "timeout"), OptionSpec.Value("signal", 's')];

    public static Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs);
        var t = a.Int("time");
        return MultiTarget.RunAsync(ctx, a.Positionals, n => ctx.Client.RestartContainerAsync(n, t, a.Value("signal"), ct));
    }
}

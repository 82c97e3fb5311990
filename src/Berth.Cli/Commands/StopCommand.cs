using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>berth stop [-t N] [-s SIG]</c>: <c>POST /containers/{id}/stop</c> per container (304 is fine).</summary>
internal static class StopCommand
{
    private static readonly OptionSpec[] Specs = [OptionSpec.Value("time", 't', "timeout"), OptionSpec.Value("signal", 's')];

    public static Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs);
        var t = a.Int("time");
        return MultiTarget.RunAsync(ctx, a.Positionals, n => ctx.Client.StopContainerAsync(n, t, a.Value("signal"), ct));
    }
}

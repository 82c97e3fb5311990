using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>berth kill [-s SIG]</c> (the daemon's default is SIGKILL).</summary>
internal static class KillCommand
{
    private static readonly OptionSpec[] Specs = [OptionSpec.Value("signal", 's')];

    public static Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs);
        return MultiTarget.RunAsync(ctx, a.Positionals, n => ctx.Client.KillContainerAsync(n, a.Value("signal"), ct));
    }
}

using Berth.Cli.Parsing;
using Berth.Client;

namespace Berth.Cli.Commands;

/// <summary><c>berth logs [-f] [-n N] [--since] [--until] [-t] [--details]</c>: inspect for the TTY flag, then stream.</summary>
internal static class LogsCommand
{
    private static readonly OptionSpec[] Specs =
    [
        OptionSpec.Flag("follow", 'f'), OptionSpec.Value("tail", 'n'), OptionSpec.Value("since"), OptionSpec.Value("until"),
        OptionSpec.Flag("timestamps", 't'), OptionSpec.Flag("details"),
    ];

    public static async Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs);
        if (a.Positionals.Count != 1) throw new UsageException("\"logs\" requires exactly 1 argument.");
        var c = await ctx.Client.InspectContainerAsync(a.Positionals[0], ct);
        var now = ctx.Time.GetUtcNow();
        var query = Query.Build(("stdout", "1"), ("stderr", "1"),
            ("since", a.Value("since") is { } s ? Units.Timestamp(s, now) : null),
            ("until", a.Value("until") is { } u ? Units.Timestamp(u, now) : null),
            ("timestamps", Query.Flag(a.Flag("timestamps"))), ("follow", Query.Flag(a.Flag("follow"))),
            ("tail", a.Value("tail") ?? "all"), ("details", Query.Flag(a.Flag("details"))));
        await using var stream = await ctx.Client.LogsAsync(c.Id, query, ct);
        ctx.Out.Flush();
        if (c.Config.Tty) await stream.CopyToAsync(ctx.StdoutStream, ct);
        else await StdCopy.CopyAsync(stream, ctx.StdoutStream, ctx.StderrStream, ct);
        return 0;
    }
}

using Berth.Cli.Parsing;
using Berth.Cli.Terminal;

namespace Berth.Cli.Commands;

/// <summary><c>berth export [-o FILE] CONTAINER</c>: the rootfs tar to a file or a non-terminal stdout.</summary>
internal static class ExportCommand
{
    private static readonly OptionSpec[] Specs = [OptionSpec.Value("output", 'o')];

    public static async Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs);
        if (a.Positionals.Count != 1) throw new UsageException("\"export\" requires exactly 1 argument.");
        var output = a.Value("output");
        if (output is null && TerminalInterop.IsTerminal(1))
        {
            ctx.Err.WriteLine("cowardly refusing to save to a terminal. Use the -o flag or redirect");
            return 1;
        }
        await using var tar = await ctx.Client.ExportContainerAsync(a.Positionals[0], ct);
        if (output is null)
        {
            await tar.CopyToAsync(ctx.StdoutStream, ct);
            return 0;
        }
        // Write beside the target and rename, so a failed export leaves no partial file.
        var tmp = output + ".berth-tmp";
        await using (var f = File.Create(tmp)) await tar.CopyToAsync(f, ct);
        File.Move(tmp, output, overwrite: true);
        return 0;
    }
}

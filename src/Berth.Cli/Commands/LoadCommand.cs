using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>berth load [-i FILE] [-q]</c>: <c>POST /images/load</c> with the archive from the file or stdin.</summary>
internal static class LoadCommand
{
    private static readonly OptionSpec[] Specs = [OptionSpec.Value("input", 'i'), OptionSpec.Flag("quiet", 'q'), OptionSpec.Value("platform")];

    public static async Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs);
        if (a.Positionals.Count > 0) throw new UsageException("\"load\" accepts no arguments.");
        var file = a.Value("input");
        if (file is null && !Console.IsInputRedirected)
        {
            ctx.Err.WriteLine("requested load from stdin, but stdin is empty");
            return 1;
        }
        await using var input = file is null ? ctx.StdinStream : File.OpenRead(file);
        var stream = await ctx.Client.LoadImagesAsync(input, a.Flag("quiet") || Console.IsOutputRedirected, ct);
        await PullProgress.RenderAsync(stream, ctx.Out, ct, ctx.TerminalOf(ctx.Out));
        return 0;
    }
}

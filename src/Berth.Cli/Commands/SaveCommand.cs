using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>berth save [-o FILE] IMAGE...</c>: the docker-archive tar of <c>GET /images/get</c>, to a file or stdout.</summary>
internal static class SaveCommand
{
    private static readonly OptionSpec[] Specs = [OptionSpec.Value("output", 'o'), OptionSpec.Value("platform")];

    public static async Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs);
        if (a.Positionals.Count == 0) throw new UsageException("\"save\" requires at least 1 argument.");
        var file = a.Value("output");
        if (file is null && !Console.IsOutputRedirected)
        {
            ctx.Err.WriteLine("Cowardly refusing to save to a terminal. Use the -o flag or redirect");
            return 1;
        }
        await using var tar = await ctx.Client.SaveImagesAsync(a.Positionals, ct);
        if (file is null)
        {
            await tar.CopyToAsync(ctx.StdoutStream, ct);
            await ctx.StdoutStream.FlushAsync(ct);
            return 0;
        }
        // Write beside the target and rename, so a failed save leaves no half archive under the name.
        var full = Path.GetFullPath(file);
        var tmp = Path.Join(Path.GetDirectoryName(full), "." + Path.GetFileName(full) + ".tmp-" + Environment.ProcessId);
        try
        {
            await using (var output = File.Create(tmp)) await tar.CopyToAsync(output, ct);
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            File.Delete(tmp);
        }
        return 0;
    }
}

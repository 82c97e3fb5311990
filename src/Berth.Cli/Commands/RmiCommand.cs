using Berth.Cli.Parsing;
using Berth.Client;

namespace Berth.Cli.Commands;

/// <summary><c>berth rmi [-f] [--no-prune]</c>: prints <c>Untagged:</c>/<c>Deleted:</c> lines.</summary>
internal static class RmiCommand
{
    private static readonly OptionSpec[] Specs = [OptionSpec.Flag("force", 'f'), OptionSpec.Flag("no-prune")];

    public static async Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs);
        if (a.Positionals.Count == 0) throw new UsageException("\"rmi\" requires at least 1 argument.");
        var rc = 0;
        foreach (var image in a.Positionals)
        {
            try
            {
                foreach (var item in await ctx.Client.RemoveImageAsync(image, a.Flag("force"), a.Flag("no-prune"), ct))
                {
                    if (!string.IsNullOrEmpty(item.Untagged)) ctx.Out.WriteLine("Untagged: " + item.Untagged);
                    if (!string.IsNullOrEmpty(item.Deleted)) ctx.Out.WriteLine("Deleted: " + item.Deleted);
                }
            }
            catch (DockerApiException ex)
            {
                ctx.Out.Flush();
                ctx.Err.WriteLine("Error response from daemon: " + ex.Message);
                rc = 1;
            }
        }
        return rc;
    }
}

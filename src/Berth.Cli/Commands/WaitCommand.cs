using Berth.Cli.Parsing;
using Berth.Client;

namespace Berth.Cli.Commands;

/// <summary><c>berth wait</c>: prints each container's exit code.</summary>
internal static class WaitCommand
{
    public static async Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, []);
        if (a.Positionals.Count == 0) throw new UsageException("\"wait\" requires at least 1 argument.");
        var rc = 0;
        foreach (var name in a.Positionals)
        {
            try
            {
                var result = await await ctx.Client.WaitContainerAsync(name, null, ct);
                ctx.Out.WriteLine(result.StatusCode);
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

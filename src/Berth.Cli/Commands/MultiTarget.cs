using Berth.Client;

namespace Berth.Cli.Commands;

/// <summary>Runs an action per container like docker's stop/kill/rm/pause: print each name that worked, each daemon
/// error as it happens, exit 1 if any failed.</summary>
internal static class MultiTarget
{
    public static async Task<int> RunAsync(CliContext ctx, IReadOnlyList<string> names, Func<string, Task> action, string? summary = null)
    {
        if (names.Count == 0) throw new Parsing.UsageException("requires at least 1 argument");
        var failed = new List<string>();
        foreach (var name in names)
        {
            try
            {
                await action(name);
                ctx.Out.WriteLine(name);
            }
            catch (DockerApiException ex)
            {
                ctx.Out.Flush();
                ctx.Err.WriteLine("Error response from daemon: " + ex.Message);
                failed.Add(name);
            }
        }
        if (failed.Count > 0 && summary is not null) ctx.Err.WriteLine($"Error: {summary}: {string.Join(", ", failed)}");
        return failed.Count > 0 ? 1 : 0;
    }
}

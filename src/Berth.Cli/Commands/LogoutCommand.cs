using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>berth logout [SERVER]</c>: forgets stored credentials; no API call, as with docker.</summary>
internal static class LogoutCommand
{
    public static Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, []);
        if (a.Positionals.Count > 1) throw new UsageException("\"logout\" requires at most 1 argument.");
        var key = DockerConfigFile.Key(a.Positionals.Count == 1 ? a.Positionals[0] : null);
        if (DockerConfigFile.Remove(ctx.Env, key)) ctx.Out.WriteLine($"Removing login credentials for {key}");
        else ctx.Out.WriteLine($"Not logged in to {key}");
        return Task.FromResult(0);
    }
}

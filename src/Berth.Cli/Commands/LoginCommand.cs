using Berth.Api.Models.Images;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>berth login [-u USER] [-p PW | --password-stdin] [SERVER]</c>: the daemon checks (<c>POST /auth</c>), the CLI stores.</summary>
internal static class LoginCommand
{
    private static readonly OptionSpec[] Specs = [OptionSpec.Value("username", 'u'), OptionSpec.Value("password", 'p'), OptionSpec.Flag("password-stdin")];

    public static async Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs);
        if (a.Positionals.Count > 1) throw new UsageException("\"login\" requires at most 1 argument.");
        var server = a.Positionals.Count == 1 ? a.Positionals[0] : null;
        var user = a.Value("username");
        var password = a.Value("password");
        if (a.Flag("password-stdin"))
        {
            if (password is not null) throw new UsageException("--password and --password-stdin are mutually exclusive");
            using var reader = new StreamReader(ctx.StdinStream);
            password = (await reader.ReadToEndAsync(ct)).TrimEnd('\n', '\r');
        }
        else if (password is not null)
        {
            ctx.Err.WriteLine("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
        }
        if (string.IsNullOrEmpty(user) || password is null)
            throw new UsageException("Error: Cannot perform an interactive login from a non TTY device");
        var key = DockerConfigFile.Key(server);
        var response = await ctx.Client.LoginAsync(new AuthConfig { Username = user, Password = password, ServerAddress = key }, ct);
        DockerConfigFile.Store(ctx.Env, key, user, password, response.IdentityToken);
        ctx.Out.WriteLine("Login Succeeded");
        return 0;
    }
}

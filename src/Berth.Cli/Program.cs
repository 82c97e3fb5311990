using System.Text;
using Berth.Cli;
using Berth.Cli.Commands;
using Berth.Cli.Parsing;
using Berth.Cli.Templates;
using Berth.Client;

// Global flags come before the command, as with docker (-H, --host, --tls*, -D, -l, --config are accepted).
var all = args;
string? host = null;
var tls = new TlsFlags();
var i = 0;
for (; i < all.Length; i++)
{
    var a = all[i];
    if (a.StartsWith("--tls", StringComparison.Ordinal))
    {
        try
        {
            if (tls.TryConsume(all, ref i)) continue;
        }
        catch (UsageException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 125;
        }
        break;
    }
    if (a is "-H" or "--host" && i + 1 < all.Length) host = all[++i];
    else if (a.StartsWith("--host=", StringComparison.Ordinal)) host = a["--host=".Length..];
    else if (a.StartsWith("-H", StringComparison.Ordinal) && a.Length > 2) host = a[2..];
    else if (a is "-D" or "--debug") continue;
    else if (a is "-l" or "--log-level" or "--config" or "--context" or "-c" && i + 1 < all.Length) i++;
    else if (a is "-v" or "--version") { all = ["version", "--format", "Berth version {{.Client.Version}}"]; i = 0; break; }
    else break;
}
var rest = all[i..];

var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false };
var stderr = new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false)) { AutoFlush = true };
try
{
    if (rest.Length == 0 || rest[0] is "--help" or "-h" or "help")
    {
        stdout.WriteLine("Usage:  berth [OPTIONS] COMMAND\n\nA Docker-compatible container engine\n\nCommands:");
        foreach (var c in CommandTable.All) stdout.WriteLine($"  {c.Name,-10}{c.Description}");
        return 0;
    }
    var (command, cmdArgs, type) = CommandTable.Resolve(rest);
    if (command is null)
    {
        stderr.WriteLine($"berth: unknown command: berth {rest[0]}\n\nRun 'berth --help' for more information");
        return 1;
    }
    if (type is not null) cmdArgs = ["--type", type, .. cmdArgs];
    if (cmdArgs is ["--help" or "-h", ..])
    {
        stdout.WriteLine($"\nUsage:  berth {command.Usage}\n\n{command.Description}");
        return 0;
    }
    DaemonEndpoint endpoint;
    try
    {
        endpoint = CliContext.ResolveEndpoint(host, tls, Environment.GetEnvironmentVariable);
    }
    catch (UsageException ex)
    {
        stderr.WriteLine(ex.Message);
        return 1;
    }
    using var ctx = new CliContext(endpoint, stdout, stderr, Environment.GetEnvironmentVariable)
    {
        StdoutStream = Console.OpenStandardOutput(),
        StderrStream = Console.OpenStandardError(),
        StdinStream = Console.OpenStandardInput(),
        OutTerminal = Berth.Cli.Terminal.TerminalInterop.IsTerminal(1) ? 1 : null,
        ErrTerminal = Berth.Cli.Terminal.TerminalInterop.IsTerminal(2) ? 2 : null,
    };
    try
    {
        return await command.Handler(ctx, cmdArgs, CancellationToken.None);
    }
    catch (UsageException ex)
    {
        stdout.Flush();
        stderr.WriteLine($"{ex.Message}\n\nUsage:  berth {command.Usage}\n\nRun 'berth {command.Name} --help' for more information");
        return 125;
    }
    catch (DockerApiException ex)
    {
        stdout.Flush();
        stderr.WriteLine("Error response from daemon: " + ex.Message);
        return 1;
    }
    catch (DaemonUnavailableException ex)
    {
        stdout.Flush();
        stderr.WriteLine(ex.Message);
        return 1;
    }
    catch (TemplateException ex)
    {
        stdout.Flush();
        stderr.WriteLine(ex.Message);
        return 1;
    }
}
finally
{
    stdout.Flush();
}

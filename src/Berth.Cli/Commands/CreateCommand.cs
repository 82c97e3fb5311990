using Berth.Cli.Parsing;
using Berth.Cli.Streams;
using Berth.Client;

namespace Berth.Cli.Commands;

/// <summary><c>berth create</c>: prints the new container's id.</summary>
internal static class CreateCommand
{
    public static async Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, ContainerOptions.Specs, stopAtFirstPositional: true);
        var req = ContainerOptions.Build(a, ctx.Env, a.Flag("tty") ? TtyResizer.CurrentSize() : null);
        try
        {
            var id = await ContainerCreator.CreateAsync(ctx, req, a.Value("name"), a.Value("platform"), a.Value("pull") ?? "missing", a.Flag("quiet"), ct);
            if (a.Value("cidfile") is { } cidfile) await File.WriteAllTextAsync(cidfile, id, ct);
            ctx.Out.WriteLine(id);
            return 0;
        }
        catch (DockerApiException ex)
        {
            return ErrorExit.Print(ctx, "create", ex.Message);
        }
    }
}

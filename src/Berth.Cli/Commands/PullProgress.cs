using System.Text.Json.Nodes;
using Berth.Cli.Formatting;
using Berth.Client;

namespace Berth.Cli.Commands;

/// <summary>Renders pull/push/load/import JSON-lines progress with docker's jsonmessage display (<see cref="JsonMessageDisplay"/>):
/// per-layer bars redrawn in place on a terminal, plain lines otherwise; an in-band <c>errorDetail</c> becomes an error.</summary>
internal static class PullProgress
{
    public static async Task RenderAsync(Stream stream, TextWriter output, CancellationToken ct, int? terminalFd = null)
    {
        var display = new JsonMessageDisplay(output, terminalFd);
        await using (stream)
        {
            await foreach (var msg in BerthClient.ReadJsonLinesAsync(stream, ct))
            {
                if (msg is not JsonObject obj) continue;
                if (display.Show(obj) is { } err) throw new DockerApiException(System.Net.HttpStatusCode.InternalServerError, err);
                if (terminalFd is not null) await output.FlushAsync(ct);   // each redraw shows at once
            }
        }
        await output.FlushAsync(ct);
    }

    /// <summary>Pulls <paramref name="image"/> as run/create do: progress to <paramref name="output"/>.</summary>
    public static async Task PullAsync(CliContext ctx, string image, string? platform, TextWriter output, CancellationToken ct)
    {
        var (repo, tag) = Formatting.ReferenceText.Split(image);
        var stream = await ctx.Client.PullImageAsync(repo, tag, platform, DockerConfigFile.AuthHeaderFor(ctx.Env, PushCommand.RegistryOf(repo)), ct);
        await RenderAsync(stream, output, ct, ctx.TerminalOf(output));
    }
}

using System.Text.Json.Nodes;
using Berth.Client;

namespace Berth.Cli.Commands;

/// <summary>Renders pull/import JSON-lines progress as docker does without a TTY: one line per status change
/// (<c>id: status</c>), no progress bars; an in-band <c>errorDetail</c> becomes an error.</summary>
internal static class PullProgress
{
    public static async Task RenderAsync(Stream stream, TextWriter output, CancellationToken ct)
    {
        await using (stream)
        {
            await foreach (var msg in BerthClient.ReadJsonLinesAsync(stream, ct))
            {
                if (msg["errorDetail"]?["message"]?.GetValue<string>() is { } err || msg["error"]?.GetValue<string>() is { } err2 && (err = err2) is not null)
                    throw new DockerApiException(System.Net.HttpStatusCode.InternalServerError, err);
                if (msg["progressDetail"] is JsonObject pd && pd.ContainsKey("current")) continue;
                var status = msg["status"]?.GetValue<string>();
                var id = msg["id"]?.GetValue<string>();
                if (msg["stream"]?.GetValue<string>() is { } s)
                {
                    output.Write(s);
                    continue;
                }
                if (status is null) continue;
                output.WriteLine(id is null ? status : $"{id}: {status}");
            }
        }
        await output.FlushAsync(ct);
    }

    /// <summary>Pulls <paramref name="image"/> as run/create do: progress to <paramref name="output"/>.</summary>
    public static async Task PullAsync(CliContext ctx, string image, string? platform, TextWriter output, CancellationToken ct)
    {
        var (repo, tag) = Formatting.ReferenceText.Split(image);
        var stream = await ctx.Client.PullImageAsync(repo, tag, platform, DockerConfigFile.AuthHeaderFor(ctx.Env, PushCommand.RegistryOf(repo)), ct);
        await RenderAsync(stream, output, ct);
    }
}

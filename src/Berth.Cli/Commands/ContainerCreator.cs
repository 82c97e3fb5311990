using Berth.Api.Models.Containers;
using Berth.Cli.Formatting;
using Berth.Client;

namespace Berth.Cli.Commands;

/// <summary>create, pulling on a 404 when <c>--pull=missing</c> (the default), before it with <c>always</c>.</summary>
internal static class ContainerCreator
{
    public static async Task<string> CreateAsync(CliContext ctx, ContainerCreateRequest req, string? name, string? platform, string pull, bool quiet, CancellationToken ct)
    {
        if (pull is not ("missing" or "always" or "never")) throw new Parsing.UsageException($"invalid pull option: '{pull}': must be one of \"always\", \"missing\" or \"never\"");
        var image = req.Image!;
        if (pull == "always") await PullProgress.PullAsync(ctx, image, platform, quiet ? TextWriter.Null : ctx.Err, ct);
        ContainerCreateResponse created;
        try
        {
            created = await ctx.Client.CreateContainerAsync(req, name, platform, ct);
        }
        catch (DockerApiException ex) when (ex.IsNotFound && pull == "missing")
        {
            ctx.Err.WriteLine($"Unable to find image '{ReferenceText.FamiliarWithTag(image)}' locally");
            await PullProgress.PullAsync(ctx, image, platform, quiet ? TextWriter.Null : ctx.Err, ct);
            created = await ctx.Client.CreateContainerAsync(req, name, platform, ct);
        }
        foreach (var w in created.Warnings) ctx.Err.WriteLine("WARNING: " + w);
        return created.Id;
    }
}

using Berth.Api.Http;
using Berth.Api.Models;
using Berth.Api.Models.Images;
using Berth.Api.Routing;
using Berth.Core.Errors;
using Berth.Services.Containers;
using Berth.Services.Images;

namespace Berth.Api.Endpoints;

/// <summary>Push, login, save/load, commit, prune and disk usage: the image routes backed by <see cref="ImageServices"/>.</summary>
internal static class ImageTransferEndpoints
{
    public static void Map(Router router, ImageService images, ContainerService containers, ImageServices more)
    {
        router.Map("POST", "/images/{name:.*}/push", async (ctx, r) =>
        {
            var credentials = RegistryAuthHeader.Decode(ctx.Request.Headers.Get("X-Registry-Auth"));
            if (credentials is null && ctx.Request.Headers.Get("X-Registry-Auth") is null)
                credentials = RegistryAuthHeader.FromConfig(await ctx.Request.ReadJsonAsync(ApiJson.Context.AuthConfig, ctx.Aborted));
            var stream = new JsonLineStream(ctx);
            await stream.RunAsync(emit => more.Distribution.PushAsync(r["name"], ctx.Request.Query.Get("tag"), credentials, emit, ctx.Aborted));
        });
        router.Map("POST", "/auth", async (ctx, _) =>
        {
            var config = await ctx.Request.ReadJsonAsync(ApiJson.Context.AuthConfig, ctx.Aborted) ?? throw new InvalidArgumentException("missing auth config");
            var credentials = RegistryAuthHeader.FromConfig(config) ?? throw new InvalidArgumentException("username or identity token is required");
            await more.Distribution.LoginAsync(config.ServerAddress, credentials, ctx.Aborted);
            await ctx.Response.WriteJsonAsync(new AuthResponse(), ApiJson.Context.AuthResponse, ct: ctx.Aborted);
        });
    }
}

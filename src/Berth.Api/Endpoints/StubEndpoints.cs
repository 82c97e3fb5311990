using Berth.Api.Models;
using Berth.Api.Routing;
using Berth.Core.Errors;

namespace Berth.Api.Endpoints;

/// <summary>Endpoints that tier-1 commands touch but Berth does not offer: answered the way a Docker without them answers.</summary>
internal static class StubEndpoints
{
    private const string NotSwarm = "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.";

    public static void Map(Router router)
    {
        // Untyped `docker inspect` probes plugins last; 404 lets it report "No such object".
        router.Map("GET", "/plugins/{name:.*}/json", (_, r) => throw new NotFoundException($"plugin \"{r["name"]}\" not found"));
        router.Map("GET", "/plugins", (ctx, _) => ctx.Response.WriteTextAsync("[]", "application/json", 200, ctx.Aborted));
        foreach (var area in new[] { "swarm", "nodes", "services", "tasks", "secrets", "configs" })
            router.Map("GET", "/" + area, (_, _) => throw new UnavailableException(NotSwarm));
        // `docker system prune` calls this; the classic builder keeps no separate cache yet.
        router.Map("POST", "/build/prune", (ctx, _) => ctx.Response.WriteTextAsync("{\"CachesDeleted\":null,\"SpaceReclaimed\":0}", "application/json", 200, ctx.Aborted));
        _ = ApiJsonContext.Default;
    }
}

using Berth.Api.Endpoints;
using Berth.Api.Routing;
using Berth.Services.Containers;
using Berth.Services.Engine;
using Berth.Services.Events;
using Berth.Services.Exec;
using Berth.Services.Images;

namespace Berth.Api;

/// <summary>The whole Engine API surface: every endpoint group mapped onto one router.</summary>
public static class ApiRoutes
{
    public static Router Build(SystemService system, EventHub events, ContainerService containers, ExecService execs, ImageService images)
    {
        var router = new Router();
        SystemEndpoints.Map(router, system, events);
        ContainerEndpoints.Map(router, containers);
        ExecEndpoints.Map(router, execs);
        StatsEndpoints.Map(router, containers);
        ImageEndpoints.Map(router, images, containers);
        StubEndpoints.Map(router);
        return router;
    }
}

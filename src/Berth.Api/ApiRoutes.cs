using Berth.Api.Endpoints;
using Berth.Api.Routing;
using Berth.Services.Build;
using Berth.Services.Containers;
using Berth.Services.Engine;
using Berth.Services.Events;
using Berth.Services.Exec;
using Berth.Services.Images;
using Berth.Services.Volumes;
using Berth.Services.Networks;

namespace Berth.Api;

/// <summary>The whole Engine API surface: every endpoint group mapped onto one router.</summary>
public static class ApiRoutes
{
    public static Router Build(SystemService system, EventHub events, ContainerService containers, ExecService execs, ImageService images,
        VolumeService? volumes = null, NetworkService? networks = null, ImageServices? imageServices = null, BuildService? build = null)
    {
        var router = new Router();
        SystemEndpoints.Map(router, system, events);
        ContainerEndpoints.Map(router, containers);
        ExecEndpoints.Map(router, execs);
        StatsEndpoints.Map(router, containers);
        ImageEndpoints.Map(router, images, containers, imageServices);
        if (volumes is not null) VolumeEndpoints.Map(router, volumes);
        ContainerArchiveEndpoints.Map(router, new ContainerArchive(containers, events));
        if (networks is not null) NetworkEndpoints.Map(router, networks);
        if (build is not null) BuildEndpoints.Map(router, build);
        StubEndpoints.Map(router);
        return router;
    }
}

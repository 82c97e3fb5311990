using System.Text.Json;
using Berth.Api.Models;
using Berth.Api.Models.Containers;

namespace Berth.Tests.Api;

/// <summary>Go reads null into a number or bool as its zero value; clients (docker-compose 1.29) send such nulls.</summary>
public sealed class GoNullScalarTests
{
    [Fact]
    public void CreateBody_NullScalars_ReadAsZeroAndFalse()
    {
        const string body = """
            {"Image": "busybox", "Tty": null, "StopTimeout": null,
             "Healthcheck": {"Test": ["CMD", "true"], "Interval": 1000000000, "StartPeriod": null, "Retries": null},
             "HostConfig": {"Memory": null, "Privileged": null}}
            """;
        var request = JsonSerializer.Deserialize(body, ApiJson.Context.ContainerCreateRequest)!;
        Assert.False(request.Tty);
        Assert.Null(request.StopTimeout);
        Assert.Equal(1_000_000_000, request.Healthcheck!.Interval);
        Assert.Equal(0, request.Healthcheck.StartPeriod);
        Assert.Equal(0, request.Healthcheck.Retries);
        Assert.Equal(0, request.HostConfig!.Memory);
        Assert.False(request.HostConfig.Privileged);
    }

    [Fact]
    public void Numbers_StillWrittenAndRead_AsNumbers()
    {
        var json = JsonSerializer.Serialize(new ContainerConfig { Tty = true, Healthcheck = new HealthConfig { Interval = 5, Retries = 3 } }, ApiJson.Context.ContainerConfig);
        Assert.Contains("\"Interval\":5", json);
        Assert.Contains("\"Retries\":3", json);
        Assert.Contains("\"Tty\":true", json);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("{\"Healthcheck\": {\"Retries\": \"3\"}}", ApiJson.Context.ContainerConfig));
    }
}

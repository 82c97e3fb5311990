using Berth.Api.Http;
using Berth.Api.Routing;
using Berth.Core.Errors;
using Berth.Tests.Api.Http;

namespace Berth.Tests.Api.Routing;

public sealed class RouterTests
{
    private static async Task<TestHttpServer> StartAsync(Action<Router> map)
    {
        var router = new Router();
        map(router);
        return await TestHttpServer.StartAsync(router.DispatchAsync);
    }

    private static Func<HttpContext, RouteValues, Task> Echo(string tag, params string[] names) => (ctx, rv) =>
        ctx.Response.WriteTextAsync($"{tag}|{string.Join("|", names.Select(n => rv[n]))}|{ApiVersions.Of(ctx)}", "text/plain", 200, default);

    [Theory]
    [InlineData("/containers/abc/json", "inspect|abc|1.50")]
    [InlineData("/v1.50/containers/abc/json", "inspect|abc|1.50")]
    [InlineData("/v1.44/containers/abc/json", "inspect|abc|1.44")]
    [InlineData("/v1.24/containers/abc/json", "inspect|abc|1.24")]
    [InlineData("/_ping", "ping||1.50")]
    [InlineData("/v1.41/_ping", "ping||1.41")]
    [InlineData("/images/json", "list||1.50")]
    [InlineData("/v1.50/images/json", "list||1.50")]
    [InlineData("/images/alpine/json", "image|alpine|1.50")]
    [InlineData("/v1.50/images/localhost:5000/foo/bar:1/json", "image|localhost:5000/foo/bar:1|1.50")]
    [InlineData("/images/docker.io/library/alpine:latest/json", "image|docker.io/library/alpine:latest|1.50")]
    [InlineData("/images/localhost:5000/foo/push", "push|localhost:5000/foo|1.50")]
    [InlineData("/images/sha256%3Aabc/history", "history|sha256:abc|1.50")]
    public async Task Dispatch_RoutesVersionedAndUnversionedPaths(string path, string expected)
    {
        await using var t = await StartAsync(r =>
        {
            r.Map("GET", "/_ping", Echo("ping"));
            r.Map("GET", "/containers/{id}/json", Echo("inspect", "id"));
            r.Map("GET", "/images/{name:.*}/json", Echo("image", "name"));
            r.Map("GET", "/images/json", Echo("list"));   // mapped after the greedy route on purpose
            r.Map("GET", "/images/{name:.*}/history", Echo("history", "name"));
            r.Map("GET", "/images/{name:.*}/push", Echo("push", "name"));
        });
        using var c = await t.ConnectAsync();
        var res = await c.RequestAsync($"GET {path} HTTP/1.1\r\n\r\n");
        Assert.Equal(200, res.Status);
        Assert.Equal(expected, res.Text);
    }

    [Fact]
    public async Task Dispatch_DeleteGreedy_FixedPostWins()
    {
        await using var t = await StartAsync(r =>
        {
            r.Map("DELETE", "/images/{name:.*}", Echo("rmi", "name"));
            r.Map("POST", "/images/prune", Echo("prune"));
            r.Map("POST", "/images/{name:.*}/tag", Echo("tag", "name"));
        });
        using var c = await t.ConnectAsync();
        Assert.Equal("rmi|registry:5000/a/b:c|1.50", (await c.RequestAsync("DELETE /v1.50/images/registry:5000/a/b:c HTTP/1.1\r\n\r\n")).Text);
        Assert.Equal("prune||1.50", (await c.RequestAsync("POST /images/prune HTTP/1.1\r\nContent-Length: 0\r\n\r\n")).Text);
        Assert.Equal("tag|foo|1.50", (await c.RequestAsync("POST /images/foo/tag?repo=bar HTTP/1.1\r\n\r\n")).Text);
    }

    [Theory]
    [InlineData("GET /nope HTTP/1.1")]
    [InlineData("GET /v1.50/nope HTTP/1.1")]
    [InlineData("GET /v1.99/nope HTTP/1.1")]
    [InlineData("POST /_ping HTTP/1.1")]
    [InlineData("GET /containers/json/extra HTTP/1.1")]
    [InlineData("GET /containers//json HTTP/1.1")]
    [InlineData("GET /vx.1/_ping HTTP/1.1")]
    public async Task Dispatch_UnknownPathOrMethod_PageNotFound(string requestLine)
    {
        await using var t = await StartAsync(r =>
        {
            r.Map("GET", "/_ping", Echo("ping"));
            r.Map("GET", "/containers/json", Echo("ps"));
            r.Map("GET", "/containers/{id}/json", Echo("inspect", "id"));
        });
        using var c = await t.ConnectAsync();
        var res = await c.RequestAsync(requestLine + "\r\n\r\n");
        Assert.Equal(404, res.Status);
        Assert.Equal("application/json", res.Header("Content-Type"));
        Assert.Equal("{\"message\":\"page not found\"}\n", res.Text);
    }

    [Theory]
    [InlineData("/v1.51/_ping", "client version 1.51 is too new. Maximum supported API version is 1.50")]
    [InlineData("/v2.0/_ping", "client version 2.0 is too new. Maximum supported API version is 1.50")]
    [InlineData("/v1.12/_ping", "client version 1.12 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version")]
    [InlineData("/v1/_ping", "client version 1 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version")]
    public async Task Dispatch_VersionOutOfWindow_400WithMobyText(string path, string message)
    {
        await using var t = await StartAsync(r => r.Map("GET", "/_ping", Echo("ping")));
        using var c = await t.ConnectAsync();
        var res = await c.RequestAsync($"GET {path} HTTP/1.1\r\n\r\n");
        Assert.Equal(400, res.Status);
        Assert.Equal($"{{\"message\":\"{message}\"}}\n", res.Text);
    }

    [Fact]
    public async Task Dispatch_Head_FallsBackToGet_UnlessMapped()
    {
        await using var t = await StartAsync(r =>
        {
            r.Map("GET", "/_ping", (ctx, _) => ctx.Response.WriteTextAsync("OK", "text/plain; charset=utf-8", 200, default));
            r.Map("GET", "/containers/{id}/archive", Echo("get-archive", "id"));
            r.Map("HEAD", "/containers/{id}/archive", (ctx, rv) =>
            {
                ctx.Response.Headers.Set("X-Docker-Container-Path-Stat", rv["id"]);
                return Task.CompletedTask;
            });
        });
        using var c = await t.ConnectAsync();
        var ping = await c.RequestAsync("HEAD /_ping HTTP/1.1\r\n\r\n", head: true);
        Assert.Equal(200, ping.Status);
        Assert.Equal("2", ping.Header("Content-Length"));
        var stat = await c.RequestAsync("HEAD /v1.50/containers/c1/archive?path=/ HTTP/1.1\r\n\r\n", head: true);
        Assert.Equal("c1", stat.Header("X-Docker-Container-Path-Stat"));
        Assert.Equal("OK", (await c.RequestAsync("GET /_ping HTTP/1.1\r\n\r\n")).Text);
    }

    public static TheoryData<Exception, int, string> Errors() => new()
    {
        { new NotFoundException("No such container: web"), 404, "{\"message\":\"No such container: web\"}\n" },
        { new InvalidArgumentException("invalid reference format"), 400, "{\"message\":\"invalid reference format\"}\n" },
        { new FailedPreconditionException("not ready"), 400, "{\"message\":\"not ready\"}\n" },
        { new ConflictException("container abc is not running"), 409, "{\"message\":\"container abc is not running\"}\n" },
        { new AlreadyExistsException("exists"), 409, "{\"message\":\"exists\"}\n" },
        { new NotModifiedException(), 304, "" },
        { new EngineException(ErrorKind.Unauthorized, "login failed"), 401, "{\"message\":\"login failed\"}\n" },
        { new EngineException(ErrorKind.PermissionDenied, "predefined network"), 403, "{\"message\":\"predefined network\"}\n" },
        { new NotImplementedEngineException("no swarm"), 501, "{\"message\":\"no swarm\"}\n" },
        { new UnavailableException("This node is not a swarm manager."), 503, "{\"message\":\"This node is not a swarm manager.\"}\n" },
        { new EngineException(ErrorKind.Unknown, "disk on fire"), 500, "{\"message\":\"disk on fire\"}\n" },
        { new InvalidOperationException("wrapped", new NotFoundException("No such image: alpine:latest")), 404, "{\"message\":\"No such image: alpine:latest\"}\n" },
        { new System.Text.Json.JsonException("bad json"), 400, "{\"message\":\"bad json\"}\n" },
        { new FormatException("bad int"), 400, "{\"message\":\"bad int\"}\n" },
        { new InvalidOperationException("bug"), 500, "{\"message\":\"bug\"}\n" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public async Task Dispatch_HandlerThrows_MapsKindToStatusAndMessage(Exception error, int status, string body)
    {
        await using var t = await StartAsync(r => r.Map("POST", "/containers/{id}/start", (ctx, _) =>
        {
            ctx.Response.Headers.Set("X-Leftover", "1");
            throw error;
        }));
        using var c = await t.ConnectAsync();
        var res = await c.RequestAsync("POST /v1.50/containers/web/start HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        Assert.Equal(status, res.Status);
        Assert.Equal(body, res.Text);
        Assert.Null(res.Header("X-Leftover"));
        if (status != 304) Assert.Equal("application/json", res.Header("Content-Type"));
        Assert.Equal(404, (await c.RequestAsync("GET /v1.50/nope HTTP/1.1\r\n\r\n")).Status);   // connection still usable
    }

    [Fact]
    public async Task Dispatch_QueryParsing_BadIntegerIs400()
    {
        await using var t = await StartAsync(r => r.Map("POST", "/containers/{id}/stop", (ctx, _) =>
            ctx.Response.WriteTextAsync(ctx.Request.Query.GetInt("t", 10).ToString(), "text/plain", 200, default)));
        using var c = await t.ConnectAsync();
        Assert.Equal("3", (await c.RequestAsync("POST /containers/x/stop?t=3 HTTP/1.1\r\n\r\n")).Text);
        Assert.Equal("10", (await c.RequestAsync("POST /containers/x/stop HTTP/1.1\r\n\r\n")).Text);
        Assert.Equal(400, (await c.RequestAsync("POST /containers/x/stop?t=abc HTTP/1.1\r\n\r\n")).Status);
    }

    [Fact]
    public void Map_RejectsUnsupportedPatterns()
    {
        var r = new Router();
        Assert.Throws<ArgumentException>(() => r.Map("GET", "images/json", Echo("x")));
        Assert.Throws<ArgumentException>(() => r.Map("GET", "/images/{name:[a-z]+}", Echo("x")));
        Assert.Throws<ArgumentException>(() => r.Map("GET", "/a/{x:.*}/{y:.*}", Echo("x")));
        Assert.Throws<ArgumentException>(() => r.Map("GET", "/a/pre{x}", Echo("x")));
    }
}

using System.Text.Json;
using Berth.Api.Http;
using Berth.Core.Errors;

namespace Berth.Api.Routing;

/// <summary>
/// Maps method + path pattern to handlers, answers versioned ("/v1.50/...") and unversioned paths alike, and turns
/// exceptions into Docker's error responses. Handlers never catch: the kind of an <see cref="EngineException"/> picks
/// the status here (see <see cref="ErrorMapping"/>).
/// </summary>
public sealed class Router
{
    private const int MaxSegments = 64;

    private readonly Action<string>? _log;
    private readonly Dictionary<string, MethodRoutes> _methods = new(StringComparer.Ordinal);

    public Router(Action<string>? log = null) => _log = log;

    /// <summary>
    /// Adds a route. Patterns look like "/containers/{id}/json" or "/images/{name:.*}/json" (greedy, may contain '/').
    /// A GET route also answers HEAD unless a HEAD route matches the same path.
    /// </summary>
    public void Map(string method, string pattern, Func<HttpContext, RouteValues, Task> handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        if (!_methods.TryGetValue(method, out var routes)) _methods[method] = routes = new MethodRoutes();
        routes.Add(new RoutePattern(method, pattern, handler));
    }

    public async Task DispatchAsync(HttpContext ctx)
    {
        var request = ctx.Request;
        ReadOnlySpan<char> path = request.Path;
        string? versionText = null;
        var version = ApiVersions.MaxVersion;
        if (TrySplitVersion(path, out var v, out var rest))
        {
            versionText = new string(v);
            version = ApiVersions.Parse(v);
            path = rest;
        }
        ctx.Items[ApiVersions.ItemKey] = version;

        var route = Find(request.Method, path, out var values);
        if (route is null)
        {
            await WriteErrorAsync(ctx, 404, "page not found").ConfigureAwait(false);
            return;
        }
        // moby checks the version in middleware, so an unknown path stays a 404 whatever its prefix.
        if (versionText is not null && ApiVersions.Compare(version, ApiVersions.MaxVersion) > 0)
        {
            await WriteErrorAsync(ctx, 400, $"client version {versionText} is too new. Maximum supported API version is {ApiVersions.Max}").ConfigureAwait(false);
            return;
        }
        if (versionText is not null && ApiVersions.Compare(version, ApiVersions.MinVersion) < 0)
        {
            await WriteErrorAsync(ctx, 400, $"client version {versionText} is too old. Minimum supported API version is {ApiVersions.Min}, please upgrade your client to a newer version").ConfigureAwait(false);
            return;
        }

        try
        {
            await route.Handler(ctx, values ?? RouteValues.Empty).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await HandleExceptionAsync(ctx, route, e).ConfigureAwait(false);
        }
    }

    private RoutePattern? Find(string method, ReadOnlySpan<char> path, out RouteValues? values)
    {
        values = null;
        Span<Range> segs = stackalloc Range[MaxSegments];
        var trimmed = path.Length > 0 && path[0] == '/' ? path[1..] : path;
        var count = trimmed.Split(segs, '/');
        if (count == MaxSegments) return null;
        segs = segs[..count];
        if (_methods.TryGetValue(method, out var routes) && routes.Find(trimmed, segs, out values) is { } found) return found;
        if (method == "HEAD" && _methods.TryGetValue("GET", out var get) && get.Find(trimmed, segs, out values) is { } viaGet) return viaGet;
        return null;
    }

    private async Task HandleExceptionAsync(HttpContext ctx, RoutePattern route, Exception e)
    {
        var request = ctx.Request;
        var response = ctx.Response;
        if (e is OperationCanceledException && ctx.Aborted.IsCancellationRequested)
        {
            _log?.Invoke($"499 {request.Method} {request.Path}: client went away");
            return;
        }
        if (response.HasStarted || response.IsHijacked)
        {
            // Too late for a status: the server ends the stream; errors inside streams are the handler's to frame.
            _log?.Invoke($"{request.Method} {request.Path} ({route.Pattern}) failed after the response started: {e}");
            return;
        }

        int status;
        string message;
        if (ErrorMapping.FirstEngineException(e) is { } engine)
        {
            status = ErrorMapping.StatusFor(engine.Kind);
            message = engine.Message;
        }
        else if (e is JsonException or FormatException or InvalidDataException or EndOfStreamException or PathTooLongException)   // bad JSON, chunk framing, archives, short bodies, paths
        {
            status = 400;
            message = e.Message;
        }
        else
        {
            status = 500;
            message = e.Message;
        }
        if (status >= 500) _log?.Invoke($"{status} {request.Method} {request.Path} ({route.Pattern}): {e}");
        await WriteErrorAsync(ctx, status, message).ConfigureAwait(false);
    }

    private static async Task WriteErrorAsync(HttpContext ctx, int status, string message)
    {
        var response = ctx.Response;
        response.Reset();
        if (status == 304)
        {
            response.StatusCode = 304;   // Docker answers "not modified" with no body
            return;
        }
        await response.WriteJsonAsync(new ErrorResponse(message), ApiErrorJsonContext.Wire.ErrorResponse, status, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Splits a leading "/v{version:[0-9.]+}" segment (moby's prefix) off the path.</summary>
    private static bool TrySplitVersion(ReadOnlySpan<char> path, out ReadOnlySpan<char> version, out ReadOnlySpan<char> rest)
    {
        version = rest = default;
        if (path.Length < 3 || path[0] != '/' || path[1] != 'v') return false;
        var end = path[2..].IndexOf('/');
        var candidate = end < 0 ? path[2..] : path.Slice(2, end);
        if (candidate.IsEmpty || candidate.ContainsAnyExcept("0123456789.")) return false;
        version = candidate;
        rest = end < 0 ? "/" : path[(2 + end)..];
        return true;
    }

    /// <summary>The routes of one method, bucketed by first literal segment and kept in priority order.</summary>
    private sealed class MethodRoutes
    {
        private readonly Dictionary<string, List<RoutePattern>> _byFirst = new(StringComparer.Ordinal);
        private readonly List<RoutePattern> _paramFirst = [];
        private readonly Dictionary<string, List<RoutePattern>>.AlternateLookup<ReadOnlySpan<char>> _lookup;

        // A view on the dictionary, so later additions are visible through it.
        public MethodRoutes() => _lookup = _byFirst.GetAlternateLookup<ReadOnlySpan<char>>();

        public void Add(RoutePattern route)
        {
            List<RoutePattern> list;
            if (route.FirstLiteral is { } first)
            {
                if (!_byFirst.TryGetValue(first, out list!)) _byFirst[first] = list = [];
            }
            else
            {
                list = _paramFirst;
            }
            var at = list.FindIndex(r => route.CompareSpecificity(r) < 0);
            list.Insert(at < 0 ? list.Count : at, route);
        }

        public RoutePattern? Find(ReadOnlySpan<char> path, ReadOnlySpan<Range> segs, out RouteValues? values)
        {
            values = null;
            if (_lookup.TryGetValue(path[segs[0]], out var list))
                foreach (var r in list)
                    if (r.TryMatch(path, segs, out values)) return r;
            foreach (var r in _paramFirst)
                if (r.TryMatch(path, segs, out values)) return r;
            return null;
        }
    }
}

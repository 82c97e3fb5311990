using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Client;
using Berth.Compose.Model;

namespace Berth.Compose.Engine;

public sealed partial class ComposeEngine
{
    /// <summary>
    /// Makes each service's image present: builds when the service has <c>build</c> and <paramref name="forceBuild"/>, the
    /// image is missing, or <c>pull_policy: build</c>; pulls when missing (or <c>pull_policy: always</c>). As Docker Compose v2
    /// does, all pulls run first and concurrently, then all builds concurrently (each image once, bounded by
    /// <see cref="ParallelLimit"/>). Returns image ids.
    /// </summary>
    public async Task<Dictionary<string, string>> EnsureImagesAsync(ComposeProject project, IEnumerable<ServiceConfig> services, bool forceBuild, bool noBuild,
        string? pullOverride, CancellationToken ct)
    {
        var builds = new Dictionary<string, ServiceConfig>(StringComparer.Ordinal);
        var pulls = new Dictionary<string, bool>(StringComparer.Ordinal); // image -> present locally already
        var images = new List<(ServiceConfig Service, string Image)>();
        foreach (var s in services)
        {
            var image = ContainerRequestBuilder.ImageName(project, s);
            images.Add((s, image));
            var policy = pullOverride ?? s.PullPolicy ?? "missing";
            var id = await ImageIdAsync(image, ct);
            if (s.Build is not null && !noBuild && (forceBuild || policy == "build" || id is null)) builds.TryAdd(image, s);
            else if (policy == "always" || (id is null && policy is not "never")) pulls.TryAdd(image, id is not null);
        }
        await ForAllAsync(pulls, async (p, token) =>
        {
            try
            {
                await PullImageAsync(p.Key, token);
            }
            catch (ComposeException) when (p.Value)
            {
                // pull_policy: always against an unreachable registry keeps the local image, as Compose does with --ignore-pull-failures.
                progress.Warn($"pull of {p.Key} failed; using the local image");
            }
        }, ct);
        var built = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        await ForAllAsync(builds, async (b, token) => built[b.Key] = await BuildServiceAsync(project, b.Value, token), ct);
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (s, image) in images)
        {
            var id = built.TryGetValue(image, out var b) ? b : await ImageIdAsync(image, ct);
            if (id is null)
            {
                throw new ComposeException(s.Build is not null && noBuild
                    ? $"service \"{s.Name}\" has neither an image nor a build context specified: image {image} not found"
                    : $"No such image: {image}");
            }
            ids[s.Name] = id;
        }
        return ids;
    }

    /// <summary><c>compose pull</c>: pulls every service that names an image (skipping ones only built), concurrently.</summary>
    public async Task PullAsync(ComposeProject project, IEnumerable<string> services, bool ignoreFailures, CancellationToken ct)
    {
        var images = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var s in Selected(project, services))
        {
            if (string.IsNullOrEmpty(s.Image)) continue;
            if (s.Build is not null && await ImageIdAsync(s.Image, ct) is null) continue;
            images.Add(s.Image);
        }
        await ForAllAsync(images, async (image, token) =>
        {
            try
            {
                await PullImageAsync(image, token);
            }
            catch (ComposeException ex) when (ignoreFailures)
            {
                progress.Warn(ex.Message);
            }
        }, ct);
    }

    public async Task PullImageAsync(string image, CancellationToken ct)
    {
        var (repo, tag) = SplitReference(image);
        var resource = ComposeProgress.ImageResource(image);
        progress.Working(resource, "Pulling");
        await using var stream = await client.PullImageAsync(repo, tag, null, ct);
        await foreach (var msg in BerthClient.ReadJsonLinesAsync(stream, ct))
        {
            if (msg["error"]?.GetValue<string>() is { } error)
            {
                progress.Error(resource, "Error");
                throw new ComposeException(error);
            }
        }
        progress.Done(resource, "Pulled");
    }

    /// <summary><c>compose build</c>: builds every selected service that has a <c>build</c> section, concurrently (each image once).</summary>
    public async Task BuildAsync(ComposeProject project, IEnumerable<string> services, CancellationToken ct)
    {
        var builds = Selected(project, services).Where(s => s.Build is not null)
            .GroupBy(s => ContainerRequestBuilder.ImageName(project, s), StringComparer.Ordinal).Select(g => g.First());
        await ForAllAsync(builds, (s, token) => BuildServiceAsync(project, s, token), ct);
    }

    /// <summary><c>compose push</c>: pushes every selected service image that has a <c>build</c> section and an <c>image</c> name,
    /// concurrently (each image once), as compose v2 does.</summary>
    public async Task PushAsync(ComposeProject project, IEnumerable<string> services, CancellationToken ct)
    {
        var images = Selected(project, services).Where(s => s.Build is not null && !string.IsNullOrEmpty(s.Image))
            .Select(s => s.Image!).Distinct(StringComparer.Ordinal);
        await ForAllAsync(images, async (image, token) =>
        {
            var (repo, tag) = SplitReference(image);
            var resource = ComposeProgress.ImageResource(image);
            progress.Working(resource, "Pushing");
            await using var stream = await client.PushImageAsync(repo, tag, null, token);
            await foreach (var msg in BerthClient.ReadJsonLinesAsync(stream, token))
            {
                if (msg["error"]?.GetValue<string>() is { } error)
                {
                    progress.Error(resource, "Error");
                    throw new ComposeException(error);
                }
            }
            progress.Done(resource, "Pushed");
        }, ct);
    }

    /// <summary>Builds one service through <c>POST /build</c>; returns the image id.</summary>
    public async Task<string> BuildServiceAsync(ComposeProject project, ServiceConfig service, CancellationToken ct)
    {
        var build = service.Build ?? throw new ComposeException($"service \"{service.Name}\" has no build section");
        if (contextWriter is null) throw new InvalidOperationException("no build context writer configured");
        var image = ContainerRequestBuilder.ImageName(project, service);
        var contextDir = build.Context;
        if (!Directory.Exists(contextDir)) throw new ComposeException($"unable to prepare context: path \"{contextDir}\" not found");
        string? tempDockerfile = null;
        var dockerfile = build.Dockerfile is { Length: > 0 } df ? (Path.IsPathRooted(df) ? df : Path.Join(contextDir, df)) : Path.Join(contextDir, "Dockerfile");
        if (build.DockerfileInline is { } inline)
        {
            tempDockerfile = Path.Join(Path.GetTempPath(), "berth-compose-" + Guid.NewGuid().ToString("N") + ".Dockerfile");
            await File.WriteAllTextAsync(tempDockerfile, inline, ct);
            dockerfile = tempDockerfile;
        }
        try
        {
            if (!File.Exists(dockerfile)) throw new ComposeException($"failed to solve: failed to read dockerfile: open {dockerfile}: no such file or directory");
            var rel = Path.GetRelativePath(contextDir, dockerfile).Replace('\\', '/');
            string? injected = null;
            if (tempDockerfile is not null || rel.StartsWith("../", StringComparison.Ordinal) || rel == "..")
            {
                injected = ".dockerfile." + Guid.NewGuid().ToString("N")[..20];
                rel = injected;
            }
            var resource = ComposeProgress.ImageResource(image);
            progress.Working(resource, "Building");
            var query = BuildQuery(service, image, rel);
            var pipe = new Pipe();
            var producer = Task.Run(async () =>
            {
                try
                {
                    await using (var tarOut = pipe.Writer.AsStream(leaveOpen: true))
                        await contextWriter.WriteAsync(tarOut, contextDir, dockerfile, injected is null ? rel : null, injected, injected is null ? null : dockerfile, ct);
                    await pipe.Writer.CompleteAsync();
                }
                catch (Exception ex)
                {
                    await pipe.Writer.CompleteAsync(ex);
                }
            }, ct);
            string? id = null;
            var stream = await client.BuildAsync(pipe.Reader.AsStream(), query, ct);
            await producer;
            await using (stream)
            {
                await foreach (var msg in BerthClient.ReadJsonLinesAsync(stream, ct))
                {
                    if (msg["errorDetail"] is JsonObject || msg["error"] is not null)
                    {
                        progress.Error(resource, "Error");
                        var m = msg["errorDetail"]?["message"]?.GetValue<string>() ?? msg["error"]?.GetValue<string>() ?? "build failed";
                        throw new ComposeException($"failed to solve: {m}");
                    }
                    if (msg["aux"]?["ID"]?.GetValue<string>() is { } aux) id = aux;
                }
            }
            progress.Done(resource, "Built");
            return id ?? await ImageIdAsync(image, ct) ?? throw new ComposeException($"build of {image} reported no image");
        }
        finally
        {
            if (tempDockerfile is not null) File.Delete(tempDockerfile);
        }
    }

    /// <summary>The <c>/build</c> query for a service: tag, dockerfile, args, target, labels, cache_from, network, extra hosts.</summary>
    public static List<(string Key, string? Value)> BuildQuery(ServiceConfig service, string image, string dockerfileRel)
    {
        var b = service.Build!;
        var query = new List<(string, string?)> { ("t", image) };
        foreach (var t in b.Tags) query.Add(("t", t));
        query.Add(("dockerfile", dockerfileRel));
        if (b.Target is { Length: > 0 }) query.Add(("target", b.Target));
        if (b.NoCache) query.Add(("nocache", "1"));
        if (b.Pull) query.Add(("pull", "1"));
        if (b.Network is { Length: > 0 }) query.Add(("networkmode", b.Network));
        if (b.ShmSize is { } shm) query.Add(("shmsize", shm.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        foreach (var h in b.ExtraHosts) query.Add(("extrahosts", h));
        var args = new JsonObject();
        foreach (var (k, v) in b.Args) args[k] = v;
        query.Add(("buildargs", args.ToJsonString()));
        var labels = new JsonObject();
        foreach (var (k, v) in b.Labels) labels[k] = v;
        query.Add(("labels", labels.ToJsonString()));
        if (b.CacheFrom.Count > 0) query.Add(("cachefrom", JsonSerializer.Serialize(b.CacheFrom.ToArray(), ComposeEngineJson.Default.StringArray)));
        return query;
    }

    private static IEnumerable<ServiceConfig> Selected(ComposeProject project, IEnumerable<string> services)
    {
        var set = services.ToHashSet(StringComparer.Ordinal);
        CheckServices(project, set);
        return project.Services.Values.Where(s => set.Count == 0 || set.Contains(s.Name));
    }

    /// <summary>Splits <c>repo[:tag]</c> (a colon inside the registry host:port is not a tag); digests stay in the repo part.</summary>
    public static (string Repo, string Tag) SplitReference(string image)
    {
        if (image.Contains('@')) return (image, "");
        var slash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        return colon > slash ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
    }
}

using System.Globalization;
using Berth.Core.Errors;
using Berth.Core.Ids;
using Berth.Core.Images;
using Berth.Distribution;
using Berth.Distribution.Auth;
using Berth.Distribution.Manifests;
using Berth.Distribution.Tls;
using Berth.Distribution.Transfer;
using Berth.Services.Events;
using Berth.Storage;
using Berth.Storage.Archive;

namespace Berth.Services.Images;

/// <summary>
/// <c>docker pull</c>, <c>push</c> and <c>login</c>: references resolved to registries, images written to the metadata store once
/// every blob is verified and every layer unpacked, progress as Docker's JSON lines through <c>emit</c>.
/// </summary>
public sealed class ImageDistributionService : IDisposable
{
    private readonly MetadataStore _meta;
    private readonly ContentStore _content;
    private readonly ImageService _images;
    private readonly EventHub _events;
    private readonly RegistryOptions _options;
    private readonly RegistryTransports _transports;
    private readonly BlobSources _sources;
    private readonly ImagePuller _puller;
    private readonly ImagePusher _pusher;

    public ImageDistributionService(MetadataStore meta, ContentStore content, LayerStore layers, ImageService images, EventHub events,
        RegistryOptions options, ContentGate gate, RegistryCertsDir? certs = null)
    {
        _transports = new RegistryTransports(certs);
        Search = new ImageSearchService(options, _transports);
        _meta = meta; _content = content; _images = images; _events = events; _options = options;
        Gate = gate;
        _sources = new BlobSources(Path.Join(content.Root, "sources"));
        _puller = new ImagePuller(content, layers, new BlobFetcher(content, options), options);
        _pusher = new ImagePusher(content, _sources, options);
    }

    public ContentGate Gate { get; }

    /// <summary><c>docker search</c>, over the same transports (certs.d trust, insecure fallback).</summary>
    public ImageSearchService Search { get; }

    /// <summary>Pulls <c>fromImage[:tag|@digest]</c>. Before the first line is emitted failures are thrown; the caller turns later ones into an in-band error.</summary>
    public async Task PullAsync(string fromImage, string? tag, string? platform, RegistryCredentials? credentials, Action<byte[]> emit, CancellationToken ct)
    {
        var text = string.IsNullOrEmpty(tag) ? fromImage : tag.Contains(':', StringComparison.Ordinal) ? $"{fromImage}@{tag}" : $"{fromImage}:{tag}";
        if (!ImageReference.TryParse(text, out var parsed)) throw new InvalidArgumentException($"invalid reference format: {text}");
        var reference = parsed.WithDefaultTag();
        // Docker Hub cannot be reached from here; an image already present (the offline busybox) is reported up to date, as Docker would.
        if (reference.Domain == RegistryEndpoint.DockerHubName && _options.DockerHubUrl is null && _images.TryResolve(reference.FullReference) is not null)
        {
            emit(ProgressJson.Status($"Status: Image is up to date for {reference}"));
            return;
        }
        var endpoint = RegistryEndpoint.Resolve(reference.Domain, _options);
        var client = new RegistryClient(_transports, endpoint, reference.Path, credentials, push: false);
        var target = Platform.Parse(platform);
        using var lease = Gate.Enter();
        var previous = _meta.ResolveTag(ImageService.Canonical(reference));
        var pulled = await _puller.PullAsync(client, reference.Digest ?? reference.Tag!, reference.ToString(), target,
            e => emit(ProgressJson.Progress(e)), ct).ConfigureAwait(false);

        var id = pulled.ConfigDigest.ToString();
        var record = new ImageRecord(id, pulled.ConfigJson, pulled.DiffIds, pulled.LayerDigests, null, CreatedOf(pulled.ConfigJson), pulled.Size);
        _meta.PutImage(record);
        _meta.SetTag(ImageService.Canonical(reference), id);
        _meta.SetTag($"{reference.FullName}@{pulled.ManifestDigest}", id);
        foreach (var layer in pulled.LayerDigests) _sources.Add(Digest.Parse(layer), endpoint.Name, reference.Path);
        emit(ProgressJson.Status($"Digest: {pulled.ManifestDigest}"));
        emit(ProgressJson.Status(previous == id ? $"Status: Image is up to date for {reference}" : $"Status: Downloaded newer image for {reference}"));
        _events.Publish("image", "pull", reference.FamiliarName + (reference.Digest is null ? ":" + reference.Tag : "@" + reference.Digest),
            new Dictionary<string, string> { ["name"] = reference.ToString() });
    }

    /// <summary>Pushes <paramref name="name"/> (a repository) under <paramref name="tag"/>, or every local tag of it when empty.</summary>
    public async Task PushAsync(string name, string? tag, RegistryCredentials? credentials, Action<byte[]> emit, CancellationToken ct)
    {
        var text = string.IsNullOrEmpty(tag) ? name : $"{name}:{tag}";
        if (!ImageReference.TryParse(text, out var reference)) throw new InvalidArgumentException($"invalid reference format: {text}");
        var tags = new List<(string Tag, ImageRecord Image)>();
        if (reference.Tag is not null)
        {
            var id = _meta.ResolveTag(ImageService.Canonical(reference)) ?? throw new NotFoundException($"An image does not exist locally with the tag: {reference.FamiliarName}");
            tags.Add((reference.Tag, _meta.GetImage(id)!));
        }
        else
        {
            var prefix = reference.FullName + ":";
            foreach (var (r, id) in _meta.ListTags())
                if (r.StartsWith(prefix, StringComparison.Ordinal) && !r.Contains('@', StringComparison.Ordinal) && _meta.GetImage(id) is { } img)
                    tags.Add((r[prefix.Length..], img));
            if (tags.Count == 0) throw new NotFoundException($"An image does not exist locally with the tag: {reference.FamiliarName}");
        }
        var endpoint = RegistryEndpoint.Resolve(reference.Domain, _options);
        var client = new RegistryClient(_transports, endpoint, reference.Path, credentials, push: true);
        emit(ProgressJson.Status($"The push refers to repository [{reference.FullName}]"));
        foreach (var (t, image) in tags)
        {
            var (digest, size) = await _pusher.PushAsync(client, t, ToPushImage(image), e => emit(ProgressJson.Progress(e)), ct).ConfigureAwait(false);
            _meta.SetTag($"{reference.FullName}@{digest}", image.Id);
            emit(ProgressJson.Status($"{t}: digest: {digest} size: {size.ToString(CultureInfo.InvariantCulture)}"));
            emit(ProgressJson.PushAux(t, digest.ToString(), size));
            _events.Publish("image", "push", $"{reference.FamiliarName}:{t}", new Dictionary<string, string> { ["name"] = $"{reference.FamiliarName}:{t}" });
        }
    }

    /// <summary><c>POST /auth</c>: checks the credentials against the registry's challenge (Docker's daemon does the same).</summary>
    public Task LoginAsync(string? serverAddress, RegistryCredentials credentials, CancellationToken ct)
    {
        var name = RegistryEndpoint.NormalizeName(string.IsNullOrEmpty(serverAddress) ? RegistryEndpoint.DockerHubIndex : serverAddress);
        return Login.CheckAsync(_transports, RegistryEndpoint.Resolve(name, _options), credentials, ct);
    }

    private PushImage ToPushImage(ImageRecord image)
    {
        var layers = new List<PushLayer>();
        for (var i = 0; i < image.DiffIds.Count; i++)
        {
            var blob = Digest.Parse(image.LayerDigests[i]);
            if (!_content.Exists(blob)) throw new NotFoundException($"layer {image.DiffIds[i]} of image {image.Id}: blob {blob} is missing from the content store");
            layers.Add(new PushLayer(blob, image.DiffIds[i], _content.Size(blob), Decompression.SniffFile(_content.PathOf(blob))));
        }
        var config = Digest.Parse(image.Id);
        if (!_content.Exists(config)) throw new NotFoundException($"config blob of image {image.Id} is missing from the content store");
        return new PushImage(config, _content.Size(config), layers);
    }

    internal static DateTimeOffset CreatedOf(string configJson)
    {
        try
        {
            var created = System.Text.Json.Nodes.JsonNode.Parse(configJson)?["created"]?.GetValue<string>();
            return created is not null && DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : DateTimeOffset.UnixEpoch;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            return DateTimeOffset.UnixEpoch;
        }
    }

    public void Dispose() => _transports.Dispose();
}

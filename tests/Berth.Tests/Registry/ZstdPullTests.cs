using System.Net;
using System.Text.Json;
using Berth.Core.Errors;
using Berth.Distribution;
using Berth.Distribution.Manifests;
using Berth.Distribution.Transfer;
using Berth.Registry;
using Berth.Storage;
using Berth.Storage.Archive;
using Berth.Tests.Distribution;
using Berth.Tests.Storage;

namespace Berth.Tests.Registry;

/// <summary>
/// Images with zstd layers through our client and our registry server on 127.0.0.1: pushed under the OCI zstd media type, pulled
/// and unpacked; zstd bytes under a Docker gzip media type (detected by magic, as Docker does); a corrupted zstd layer.
/// </summary>
public sealed class ZstdPullTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private readonly HttpClient _http = RegistryHttp.Create();
    private readonly RegistryOptions _options = new();
    private readonly List<string> _events = [];
    private RegistryServer? _server;

    private string RegistryName => $"127.0.0.1:{_server!.EndPoint.Port}";

    public async Task InitializeAsync() =>
        _server = await RegistryServer.StartAsync(new RegistryServerOptions(_tmp.Sub("registry")), new IPEndPoint(IPAddress.Loopback, 0), null, CancellationToken.None);

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        _http.Dispose();
        _tmp.Dispose();
    }

    private RegistryClient Client(string repo, bool push) => new(_http, RegistryEndpoint.Resolve(RegistryName, _options), repo, null, push);

    private (ContentStore Content, LayerStore Layers, DataRoot Root) Daemon(string name)
    {
        var root = new DataRoot(_tmp.Sub(name));
        return (new ContentStore(root.ContentDir), new LayerStore(root), root);
    }

    private void Record(ProgressEvent e)
    {
        lock (_events) _events.Add(e.Id is null ? e.Status : $"{e.Id}: {e.Status}");
    }

    private async Task<PushImage> PushZstdAsync(string repo, params string[] files)
    {
        var (src, _, srcRoot) = Daemon("src-" + repo.Replace('/', '-'));
        var image = TestImage.Create(src, LayerCompression.Zstd, files);
        await new ImagePusher(src, new BlobSources(Path.Join(srcRoot.ContentDir, "sources")), _options)
            .PushAsync(Client(repo, push: true), "v1", image, Record, CancellationToken.None);
        return image;
    }

    private ImagePuller Puller(ContentStore content, LayerStore layers) => new(content, layers, new BlobFetcher(content, _options), _options);

    [Fact]
    public async Task PushPull_OciZstdLayers_UnpackedAndVerified()
    {
        var image = await PushZstdAsync("zstd/img", "a.txt", "b.txt", "c.txt");
        var (manifestBytes, _, _) = await Client("zstd/img", push: false).GetManifestAsync("v1", "zstd/img", CancellationToken.None);
        var manifest = JsonSerializer.Deserialize(manifestBytes, DistributionJsonContext.Default.ManifestDocument)!;
        Assert.Equal(MediaTypes.OciManifest, manifest.MediaType);
        Assert.All(manifest.Layers!, l => Assert.Equal(MediaTypes.OciLayerZstd, l.MediaType));

        var (content, layers, _) = Daemon("dst");
        var pulled = await Puller(content, layers).PullAsync(Client("zstd/img", push: false), "v1", "zstd/img", Platform.Host, Record, CancellationToken.None);

        Assert.Equal(image.Layers.Select(l => l.DiffId), pulled.DiffIds);
        var dirs = layers.LowerDirs(LayerStore.ChainId(pulled.DiffIds));
        Assert.StartsWith("content of c.txt #2", await File.ReadAllTextAsync(Path.Join(dirs[0], "data", "c.txt")));
        Assert.StartsWith("content of a.txt #0", await File.ReadAllTextAsync(Path.Join(dirs[2], "data", "a.txt")));
        Assert.All(image.Layers, l => Assert.Equal(LayerCompression.Zstd, Decompression.SniffFile(content.PathOf(l.BlobDigest))));
    }

    [Fact]
    public async Task Pull_ZstdBytesUnderDockerGzipMediaType_DetectedByMagic()
    {
        var image = await PushZstdAsync("zstd/docker", "a.txt");
        // The same blobs under a Docker schema2 manifest that calls the layer gzip: Docker sniffs the bytes, and so must we.
        var client = Client("zstd/docker", push: true);
        var (ociBytes, _, _) = await client.GetManifestAsync("v1", "zstd/docker", CancellationToken.None);
        var manifest = JsonSerializer.Deserialize(ociBytes, DistributionJsonContext.Default.ManifestDocument)!;
        manifest.MediaType = MediaTypes.DockerManifest;
        manifest.Config!.MediaType = MediaTypes.DockerConfig;
        foreach (var l in manifest.Layers!) l.MediaType = MediaTypes.DockerLayerGzip;
        await client.PutManifestAsync("docker", JsonSerializer.SerializeToUtf8Bytes(manifest, DistributionJsonContext.Default.ManifestDocument),
            MediaTypes.DockerManifest, CancellationToken.None);

        var (content, layers, _) = Daemon("dst");
        var pulled = await Puller(content, layers).PullAsync(Client("zstd/docker", push: false), "docker", "zstd/docker", Platform.Host, Record, CancellationToken.None);
        Assert.Equal(image.Layers[0].DiffId, pulled.DiffIds[0]);
        Assert.True(File.Exists(Path.Join(layers.LayerDir(pulled.DiffIds[0]), "data", "a.txt")));
    }

    [Fact]
    public async Task Pull_CorruptedZstdLayer_DigestErrorAndNothingVisible()
    {
        var image = await PushZstdAsync("zstd/bad", "a.txt", "b.txt");
        // Flip a byte inside the second layer's compressed data, as the registry stores it.
        var blobPath = Path.Join(_tmp.Sub("registry"), "blobs", "sha256", image.Layers[1].BlobDigest.Encoded);
        File.SetUnixFileMode(blobPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var bytes = File.ReadAllBytes(blobPath);
        bytes[bytes.Length / 2] ^= 0xff;
        File.WriteAllBytes(blobPath, bytes);

        var (content, layers, root) = Daemon("dst");
        var e = await Assert.ThrowsAsync<FailedPreconditionException>(() =>
            Puller(content, layers).PullAsync(Client("zstd/bad", push: false), "v1", "zstd/bad", Platform.Host, Record, CancellationToken.None));
        Assert.Equal($"filesystem layer verification failed for digest {image.Layers[1].BlobDigest}", e.Message);
        Assert.False(content.Exists(image.Layers[1].BlobDigest));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Join(root.ContentDir, "ingest")));
        // The intact first layer may stay (a retry resumes from it); nothing of the bad one, and no half-unpacked dir.
        Assert.DoesNotContain(Directory.EnumerateDirectories(root.SnapshotsDir), d => Path.GetFileName(d).StartsWith('.'));
        Assert.False(layers.Exists(LayerStore.ChainId(image.Layers.Select(l => l.DiffId))));
    }
}

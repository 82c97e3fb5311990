using System.Net;
using Berth.Core.Errors;
using Berth.Core.Ids;
using Berth.Distribution;
using Berth.Distribution.Auth;
using Berth.Distribution.Manifests;
using Berth.Distribution.Transfer;
using Berth.Registry;
using Berth.Registry.Auth;
using Berth.Storage;
using Berth.Tests.Distribution;
using Berth.Tests.Storage;

namespace Berth.Tests.Registry;

/// <summary>Our client against our registry server on 127.0.0.1 (random port): push, pull, mount, auth, corruption.</summary>
public sealed class RegistryRoundTripTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private readonly HttpClient _http = RegistryHttp.Create();
    private readonly RegistryOptions _options = new();
    private readonly List<string> _events = [];
    private RegistryServer? _server;

    private string RegistryName => $"127.0.0.1:{_server!.EndPoint.Port}";

    public Task InitializeAsync() => StartServerAsync(new RegistryServerOptions(_tmp.Sub("registry")));

    private async Task StartServerAsync(RegistryServerOptions options)
    {
        if (_server is not null) await _server.DisposeAsync();
        _server = await RegistryServer.StartAsync(options, new IPEndPoint(IPAddress.Loopback, 0), null, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        _http.Dispose();
        _tmp.Dispose();
    }

    private RegistryClient Client(string repo, bool push, RegistryCredentials? creds = null) =>
        new(_http, RegistryEndpoint.Resolve(RegistryName, _options), repo, creds, push);

    private (ContentStore Content, LayerStore Layers, DataRoot Root) Daemon(string name)
    {
        var root = new DataRoot(_tmp.Sub(name));
        return (new ContentStore(root.ContentDir), new LayerStore(root), root);
    }

    private void Record(ProgressEvent e)
    {
        lock (_events) _events.Add(e.Id is null ? e.Status : $"{e.Id}: {e.Status}");
    }

    [Fact]
    public async Task PushThenPull_TwoLayers_VerifiedAndUnpacked()
    {
        var (srcContent, _, srcRoot) = Daemon("src");
        var image = TestImage.Create(srcContent, "a.txt", "b.txt");
        var pusher = new ImagePusher(srcContent, new BlobSources(Path.Join(srcRoot.ContentDir, "sources")), _options);
        var (digest, _) = await pusher.PushAsync(Client("test/img", push: true), "v1", image, Record, CancellationToken.None);
        Assert.Contains(_events, e => e.EndsWith(": Pushed", StringComparison.Ordinal));

        var (content, layers, _) = Daemon("dst");
        var puller = new ImagePuller(content, layers, new BlobFetcher(content, _options), _options);
        _events.Clear();
        var pulled = await puller.PullAsync(Client("test/img", push: false), "v1", $"{RegistryName}/test/img:v1", Platform.Host, Record, CancellationToken.None);

        Assert.Equal(digest, pulled.ManifestDigest);
        Assert.Equal(image.Layers.Select(l => l.DiffId), pulled.DiffIds);
        Assert.Equal("v1: Pulling from test/img", _events[0]);
        Assert.Contains(_events, e => e.EndsWith(": Pull complete", StringComparison.Ordinal));
        var top = LayerStore.ChainId(pulled.DiffIds);
        var dirs = layers.LowerDirs(top);
        Assert.True(File.Exists(Path.Join(dirs[0], "data", "b.txt")));
        Assert.True(File.Exists(Path.Join(dirs[1], "data", "a.txt")));
        Assert.All(image.Layers, l => Assert.True(content.Exists(l.BlobDigest)));

        // Second push of the same image: every layer is already there.
        _events.Clear();
        await pusher.PushAsync(Client("test/img", push: true), "v2", image, Record, CancellationToken.None);
        Assert.Equal(2, _events.Count(e => e.EndsWith("Layer already exists", StringComparison.Ordinal)));

        // To another repository of the same registry: mounted, not uploaded.
        _events.Clear();
        await pusher.PushAsync(Client("other/img", push: true), "latest", image, Record, CancellationToken.None);
        Assert.Equal(2, _events.Count(e => e.EndsWith("Mounted from test/img", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Pull_CorruptedBlob_FailsWithDigestErrorAndLeavesNothing()
    {
        var (srcContent, _, srcRoot) = Daemon("src");
        var image = TestImage.Create(srcContent, "a.txt");
        var pusher = new ImagePusher(srcContent, new BlobSources(Path.Join(srcRoot.ContentDir, "sources")), _options);
        await pusher.PushAsync(Client("test/bad", push: true), "latest", image, Record, CancellationToken.None);

        // Flip one byte of the layer as the registry stores it (the file is read-only for the store's own writes).
        var blobPath = Path.Join(_tmp.Sub("registry"), "blobs", "sha256", image.Layers[0].BlobDigest.Encoded);
        File.SetUnixFileMode(blobPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var bytes = File.ReadAllBytes(blobPath);
        bytes[^10] ^= 0xff;
        File.WriteAllBytes(blobPath, bytes);

        var (content, layers, root) = Daemon("dst");
        var puller = new ImagePuller(content, layers, new BlobFetcher(content, _options), _options);
        var e = await Assert.ThrowsAsync<FailedPreconditionException>(() =>
            puller.PullAsync(Client("test/bad", push: false), "latest", $"{RegistryName}/test/bad", Platform.Host, Record, CancellationToken.None));
        Assert.Contains("verification failed", e.Message, StringComparison.Ordinal);
        Assert.False(content.Exists(image.Layers[0].BlobDigest));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Join(root.ContentDir, "ingest")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(root.SnapshotsDir));
    }

    [Fact]
    public async Task Pull_TruncatedBlob_FailsWithDigestError()
    {
        var (srcContent, _, srcRoot) = Daemon("src");
        var image = TestImage.Create(srcContent, "a.txt");
        await new ImagePusher(srcContent, new BlobSources(Path.Join(srcRoot.ContentDir, "sources")), _options)
            .PushAsync(Client("test/short", push: true), "latest", image, Record, CancellationToken.None);
        var blobPath = Path.Join(_tmp.Sub("registry"), "blobs", "sha256", image.Layers[0].BlobDigest.Encoded);
        File.SetUnixFileMode(blobPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var bytes = File.ReadAllBytes(blobPath);
        File.WriteAllBytes(blobPath, bytes[..(bytes.Length / 2)]);

        var (content, layers, root) = Daemon("dst");
        var puller = new ImagePuller(content, layers, new BlobFetcher(content, _options), _options);
        await Assert.ThrowsAsync<FailedPreconditionException>(() =>
            puller.PullAsync(Client("test/short", push: false), "latest", "x", Platform.Host, Record, CancellationToken.None));
        Assert.Empty(Directory.EnumerateFileSystemEntries(root.SnapshotsDir));
        Assert.False(content.Exists(image.Layers[0].BlobDigest));
    }

    [Fact]
    public async Task Pull_AfterFailure_DoesNotDownloadFinishedLayersAgain()
    {
        var (srcContent, _, srcRoot) = Daemon("src");
        var image = TestImage.Create(srcContent, "a.txt", "b.txt");
        await new ImagePusher(srcContent, new BlobSources(Path.Join(srcRoot.ContentDir, "sources")), _options)
            .PushAsync(Client("test/resume", push: true), "latest", image, Record, CancellationToken.None);
        var blobPath = Path.Join(_tmp.Sub("registry"), "blobs", "sha256", image.Layers[1].BlobDigest.Encoded);
        var good = File.ReadAllBytes(blobPath);
        File.SetUnixFileMode(blobPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllBytes(blobPath, good[..(good.Length - 7)]);

        var (content, layers, _) = Daemon("dst");
        var puller = new ImagePuller(content, layers, new BlobFetcher(content, _options with { MaxConcurrentDownloads = 1 }), _options with { MaxConcurrentDownloads = 1 });
        await Assert.ThrowsAsync<FailedPreconditionException>(() =>
            puller.PullAsync(Client("test/resume", push: false), "latest", "x", Platform.Host, Record, CancellationToken.None));
        Assert.True(content.Exists(image.Layers[0].BlobDigest));   // the verified first layer stays for the next attempt

        File.WriteAllBytes(blobPath, good);
        _events.Clear();
        await puller.PullAsync(Client("test/resume", push: false), "latest", "x", Platform.Host, Record, CancellationToken.None);
        var first = image.Layers[0].BlobDigest.Encoded[..12];
        var second = image.Layers[1].BlobDigest.Encoded[..12];
        Assert.DoesNotContain($"{first}: Verifying Checksum", _events);
        Assert.Contains($"{second}: Verifying Checksum", _events);
        Assert.True(_events.Contains($"{first}: Pull complete") || _events.Contains($"{first}: Already exists"), string.Join("\n", _events));
    }

    [Fact]
    public async Task Pull_UnknownTag_NotFoundInDockerWords()
    {
        var (content, layers, _) = Daemon("dst");
        var puller = new ImagePuller(content, layers, new BlobFetcher(content, _options), _options);
        var e = await Assert.ThrowsAsync<NotFoundException>(() =>
            puller.PullAsync(Client("nope/x", push: false), "nope", $"{RegistryName}/nope/x:nope", Platform.Host, Record, CancellationToken.None));
        Assert.StartsWith($"manifest for {RegistryName}/nope/x:nope not found: manifest unknown", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Htpasswd_BasicAndToken_RequireCredentials(bool token)
    {
        var htpasswd = _tmp.Sub("htpasswd");
        await File.WriteAllTextAsync(htpasswd, "alice:" + Bcrypt.Hash("wonderland", 4) + "\n");
        await StartServerAsync(new RegistryServerOptions(_tmp.Sub("registry")) { HtpasswdPath = htpasswd, TokenAuth = token });
        var (srcContent, _, srcRoot) = Daemon("src");
        var image = TestImage.Create(srcContent, "a.txt");
        var pusher = new ImagePusher(srcContent, new BlobSources(Path.Join(srcRoot.ContentDir, "sources")), _options);

        var denied = await Assert.ThrowsAsync<EngineException>(() =>
            pusher.PushAsync(Client("auth/img", true, new RegistryCredentials("alice", "wrong")), "latest", image, Record, CancellationToken.None));
        Assert.Equal(ErrorKind.Unauthorized, denied.Kind);
        var anonymous = await Assert.ThrowsAnyAsync<EngineException>(() =>
            pusher.PushAsync(Client("auth/img", true), "latest", image, Record, CancellationToken.None));
        Assert.Equal(ErrorKind.Unauthorized, anonymous.Kind);

        var good = new RegistryCredentials("alice", "wonderland");
        await pusher.PushAsync(Client("auth/img", true, good), "latest", image, Record, CancellationToken.None);
        var (content, layers, _) = Daemon("dst");
        var pulled = await new ImagePuller(content, layers, new BlobFetcher(content, _options), _options)
            .PullAsync(Client("auth/img", false, good), "latest", "auth/img", Platform.Host, Record, CancellationToken.None);
        Assert.Single(pulled.DiffIds);

        await Login.CheckAsync(_http, RegistryEndpoint.Resolve(RegistryName, _options), good, CancellationToken.None);
        var bad = await Assert.ThrowsAsync<EngineException>(() =>
            Login.CheckAsync(_http, RegistryEndpoint.Resolve(RegistryName, _options), new RegistryCredentials("alice", "nope"), CancellationToken.None));
        Assert.Equal(ErrorKind.Unauthorized, bad.Kind);
    }

    [Fact]
    public async Task GarbageCollect_RemovesUnreferencedBlobsOnly()
    {
        var (srcContent, _, srcRoot) = Daemon("src");
        var image = TestImage.Create(srcContent, "a.txt");
        var pusher = new ImagePusher(srcContent, new BlobSources(Path.Join(srcRoot.ContentDir, "sources")), _options);
        await pusher.PushAsync(Client("gc/img", push: true), "latest", image, Record, CancellationToken.None);
        // An orphan: uploaded, never referenced by a manifest.
        var orphan = await srcContent.WriteAsync(new MemoryStream("orphan"u8.ToArray()), null, CancellationToken.None);
        await Client("gc/img", push: true).UploadBlobAsync(orphan, 6, () => srcContent.OpenRead(orphan), null, CancellationToken.None);
        await _server!.DisposeAsync();
        _server = null;

        var result = Berth.Registry.Storage.GarbageCollector.Collect(_tmp.Sub("registry"));
        Assert.Equal([orphan.ToString()], result.Deleted);
        Assert.True(File.Exists(Path.Join(_tmp.Sub("registry"), "blobs", "sha256", image.Layers[0].BlobDigest.Encoded)));
    }
}

using Berth.Core.Errors;
using Berth.Storage;

namespace Berth.Tests.Storage;

public sealed class MetadataStoreTests : IDisposable
{
    private readonly TempDir _dir = new();
    private string DbPath => _dir.Sub("metadata.db");

    public void Dispose() => _dir.Dispose();

    private static ContainerRecord Container(string id, string name, string state = "{}") =>
        new(id, name, "sha256:img", new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero), "{\"Image\":\"busybox\"}", state);

    private static ImageRecord Image(string id) =>
        new(id, "{\"os\":\"linux\"}", ["sha256:d1", "sha256:d2"], ["sha256:b1", "sha256:b2"], null, new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)), 1234);

    [Fact]
    public void Containers_Crud()
    {
        using var store = new MetadataStore(DbPath);
        Assert.Null(store.GetContainer("c1"));
        store.PutContainer(Container("c1", "/web"));
        store.PutContainer(Container("c2", "/db"));
        Assert.Equal(Container("c1", "/web"), store.GetContainer("c1"));
        Assert.Equal(["c1", "c2"], store.ListContainers().Select(c => c.Id).Order());

        store.PutContainer(Container("c1", "/web2", "{\"Running\":true}"));
        Assert.Equal("{\"Running\":true}", store.GetContainer("c1")!.StateJson);
        Assert.Equal("/web2", store.GetContainer("c1")!.Name);

        store.DeleteContainer("c1");
        Assert.Null(store.GetContainer("c1"));
        Assert.Single(store.ListContainers());
    }

    [Fact]
    public void PutContainer_NameTakenByAnother_ThrowsConflictInDockerWords()
    {
        using var store = new MetadataStore(DbPath);
        store.PutContainer(Container("c1", "/web"));
        var e = Assert.Throws<ConflictException>(() => store.PutContainer(Container("c2", "/web")));
        Assert.StartsWith("Conflict. The container name \"/web\" is already in use by container \"c1\"", e.Message, StringComparison.Ordinal);
        Assert.Null(store.GetContainer("c2"));
    }

    [Fact]
    public void Images_AndTags_Crud()
    {
        using var store = new MetadataStore(DbPath);
        var img = Image("sha256:aaa");
        store.PutImage(img);
        var got = store.GetImage("sha256:aaa")!;
        Assert.Equal(img.DiffIds, got.DiffIds);
        Assert.Equal(img.LayerDigests, got.LayerDigests);
        Assert.Equal(img.Created, got.Created);
        Assert.Equal(img.Created.Offset, got.Created.Offset);
        Assert.Equal((img.Id, img.ConfigJson, img.ParentId, img.Size), (got.Id, got.ConfigJson, got.ParentId, got.Size));

        store.SetTag("docker.io/library/busybox:latest", "sha256:aaa");
        store.SetTag("docker.io/library/busybox:1", "sha256:aaa");
        Assert.Equal("sha256:aaa", store.ResolveTag("docker.io/library/busybox:latest"));
        store.PutImage(Image("sha256:bbb"));
        store.SetTag("docker.io/library/busybox:latest", "sha256:bbb");
        Assert.Equal("sha256:bbb", store.ResolveTag("docker.io/library/busybox:latest"));
        Assert.Equal(2, store.ListTags().Count);

        Assert.True(store.RemoveTag("docker.io/library/busybox:latest"));
        Assert.False(store.RemoveTag("docker.io/library/busybox:latest"));
        Assert.Null(store.ResolveTag("docker.io/library/busybox:latest"));

        store.DeleteImage("sha256:aaa");
        Assert.Null(store.GetImage("sha256:aaa"));
        Assert.Empty(store.ListTags());   // its tags went with it
        Assert.Single(store.ListImages());
    }

    [Fact]
    public void Image_WithNoLayers_RoundTrips()
    {
        using var store = new MetadataStore(DbPath);
        store.PutImage(Image("sha256:e") with { DiffIds = [], LayerDigests = [], ParentId = "sha256:p" });
        var got = store.GetImage("sha256:e")!;
        Assert.Empty(got.DiffIds);
        Assert.Empty(got.LayerDigests);
        Assert.Equal("sha256:p", got.ParentId);
    }

    [Fact]
    public void Reopen_KeepsEverything()
    {
        using (var store = new MetadataStore(DbPath))
        {
            store.PutContainer(Container("c1", "/web"));
            store.PutImage(Image("sha256:aaa"));
            store.SetTag("docker.io/library/x:1", "sha256:aaa");
        }
        using (var again = new MetadataStore(DbPath))
        {
            Assert.Equal("/web", again.GetContainer("c1")?.Name);
            Assert.NotNull(again.GetImage("sha256:aaa"));
            Assert.Equal("sha256:aaa", again.ResolveTag("docker.io/library/x:1"));
        }
    }

    [Fact]
    public void Open_UsesWalJournal()
    {
        using var store = new MetadataStore(DbPath);
        store.PutContainer(Container("c1", "/web"));
        Assert.True(File.Exists(DbPath + "-wal"));
    }

    [Fact]
    public async Task ConcurrentWritersAndReaders_AllWritesLand()
    {
        using var store = new MetadataStore(DbPath);
        var tasks = Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 50; i++)
            {
                var id = $"c{t}-{i}";
                store.PutContainer(Container(id, "/" + id));
                Assert.NotNull(store.GetContainer(id));
                store.SetTag($"docker.io/library/t{t}:{i}", "sha256:x");
                _ = store.ListContainers();
            }
        })).ToArray();
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(400, store.ListContainers().Count);
        Assert.Equal(400, store.ListTags().Count);
    }
}

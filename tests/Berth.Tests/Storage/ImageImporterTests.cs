using System.Text.Json;
using Berth.Storage;
using static Berth.Tests.Storage.TarBuilder;

namespace Berth.Tests.Storage;

public sealed class ImageImporterTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Import_WritesConfigAndRecord()
    {
        var root = new DataRoot(_dir.Path);
        using var meta = new MetadataStore(root.MetadataPath);
        var importer = new ImageImporter(meta, new ContentStore(root.ContentDir), new LayerStore(root));
        var input = new ImageConfigInput(Cmd: ["/app"], Entrypoint: ["/init"], Env: ["A=1"], WorkingDir: "/w", User: "1000",
            Labels: new Dictionary<string, string> { ["z"] = "1", ["a"] = "2" }, Comment: "imported", CreatedBy: "test",
            ExposedPorts: ["80", "53/udp"], Volumes: ["/data"], Created: new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var img = await importer.ImportRootfsAsync(Build(File("app", "x")), input, CancellationToken.None);

        var stored = meta.GetImage(img.Id)!;
        Assert.Equal(img.ConfigJson, stored.ConfigJson);
        Assert.Equal(img.DiffIds, stored.DiffIds);
        Assert.Equal(img.LayerDigests, stored.LayerDigests);
        using var doc = JsonDocument.Parse(img.ConfigJson);
        var c = doc.RootElement;
        Assert.Equal("2020-01-02T03:04:05Z", c.GetProperty("created").GetString());
        var cfg = c.GetProperty("config");
        Assert.Equal("/w", cfg.GetProperty("WorkingDir").GetString());
        Assert.Equal("1000", cfg.GetProperty("User").GetString());
        Assert.Equal(["53/udp", "80/tcp"], cfg.GetProperty("ExposedPorts").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["a", "z"], cfg.GetProperty("Labels").EnumerateObject().Select(p => p.Name));
        Assert.Equal("imported", c.GetProperty("history")[0].GetProperty("comment").GetString());
        Assert.Equal(img.DiffIds[0], img.LayerDigests[0]);   // stored uncompressed: the blob digest is the diff id
    }
}

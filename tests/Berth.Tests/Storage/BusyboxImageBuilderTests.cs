using System.Text.Json;
using Berth.Core.Ids;
using Berth.Storage;

namespace Berth.Tests.Storage;

public sealed class BusyboxImageBuilderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static (MetadataStore Meta, ImageImporter Importer, LayerStore Layers, ContentStore Content) Open(string root)
    {
        var dataRoot = new DataRoot(root);
        var meta = new MetadataStore(dataRoot.MetadataPath);
        var content = new ContentStore(dataRoot.ContentDir);
        var layers = new LayerStore(dataRoot);
        return (meta, new ImageImporter(meta, content, layers), layers, content);
    }

    [Fact]
    public async Task Ensure_SameIdOnTwoDataRoots_RootfsHasShell()
    {
        if (!File.Exists("/bin/busybox")) Assert.Fail("busybox-static is required on this machine");
        var (meta1, importer1, layers1, content1) = Open(_dir.Sub("one"));
        var (meta2, importer2, _, _) = Open(_dir.Sub("two"));
        using (meta1)
        using (meta2)
        {
            var a = await BusyboxImageBuilder.EnsureAsync(importer1, meta1);
            var b = await BusyboxImageBuilder.EnsureAsync(importer2, meta2);
            Assert.Equal(a.Id, b.Id);
            Assert.Equal(a.Id, meta1.ResolveTag("docker.io/library/busybox:latest"));
            Assert.Equal(a.Id, Digest.Sha256(System.Text.Encoding.UTF8.GetBytes(a.ConfigJson)).ToString());
            Assert.True(content1.Exists(Digest.Parse(a.Id)));
            Assert.True(content1.Exists(Digest.Parse(a.LayerDigests[0])));

            var again = await BusyboxImageBuilder.EnsureAsync(importer1, meta1);
            Assert.Equal((a.Id, a.ConfigJson, a.Size), (again.Id, again.ConfigJson, again.Size));
            Assert.Equal(a.DiffIds, b.DiffIds);

            var fs = layers1.LowerDirs(LayerStore.ChainId(a.DiffIds)).Single();
            Assert.Equal("/bin/busybox", new FileInfo(Path.Join(fs, "bin", "sh")).LinkTarget);
            Assert.True(File.Exists(Path.Join(fs, "bin", "busybox")));
            Assert.Contains("root:x:0:0:", File.ReadAllText(Path.Join(fs, "etc", "passwd")), StringComparison.Ordinal);
            Assert.Contains("nobody:x:65534:", File.ReadAllText(Path.Join(fs, "etc", "passwd")), StringComparison.Ordinal);
            Assert.Equal((UnixFileMode)0x3FF /* 01777 */, File.GetUnixFileMode(Path.Join(fs, "tmp")));

            using var config = JsonDocument.Parse(a.ConfigJson);
            var c = config.RootElement;
            Assert.Equal("linux", c.GetProperty("os").GetString());
            Assert.Equal("sh", c.GetProperty("config").GetProperty("Cmd")[0].GetString());
            Assert.Equal("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", c.GetProperty("config").GetProperty("Env")[0].GetString());
            Assert.Equal("layers", c.GetProperty("rootfs").GetProperty("type").GetString());
            Assert.Equal(a.DiffIds[0], c.GetProperty("rootfs").GetProperty("diff_ids")[0].GetString());
        }
    }
}

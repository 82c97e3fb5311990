using System.Security.Cryptography;
using Berth.Core.Errors;
using Berth.Storage;
using Berth.Storage.Archive;
using static Berth.Tests.Storage.TarBuilder;

namespace Berth.Tests.Storage;

/// <summary>zstd layers: libzstd's streaming decoder behind <see cref="Decompression"/>, and a zstd tar unpacked into a snapshot.</summary>
public sealed class ZstdLayerTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte[] Payload(int size)
    {
        // Half random (incompressible), half text: both of zstd's block kinds, raw and compressed.
        var data = new byte[size];
        new Random(42).NextBytes(data.AsSpan(0, size / 2));
        for (var i = size / 2; i < size; i++) data[i] = (byte)('a' + i % 23);
        return data;
    }

    private static async Task<byte[]> ReadAllAsync(byte[] compressed, int chunk)
    {
        await using var s = await Decompression.OpenAsync(new MemoryStream(compressed), CancellationToken.None);
        var output = new MemoryStream();
        var buf = new byte[chunk];
        int n;
        while ((n = await s.ReadAsync(buf)) > 0) output.Write(buf, 0, n);
        return output.ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4096)]
    [InlineData(1 << 20)]
    public async Task Decompress_ManyFramesAndSkippableFrame_AnyReadSize(int chunk)
    {
        var data = Payload(3 << 20);
        var compressed = ZstdCompressor.Frames(data, 1 << 20);
        Assert.Equal(LayerCompression.Zstd, Decompression.Sniff(compressed));   // opens with a skippable frame
        Assert.Equal(data, await ReadAllAsync(compressed, chunk == 1 ? 7 : chunk));
    }

    [Fact]
    public async Task Decompress_SyncRead_SameBytes()
    {
        var data = Payload(300_000);
        await using var s = await Decompression.OpenAsync(new MemoryStream(ZstdCompressor.Frame(data)), CancellationToken.None);
        var output = new MemoryStream();
        s.CopyTo(output);
        Assert.Equal(data, output.ToArray());
    }

    [Fact]
    public async Task Decompress_Truncated_IsInvalidData()
    {
        var compressed = ZstdCompressor.Frame(Payload(200_000));
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAllAsync(compressed[..(compressed.Length / 2)], 65536));
        Assert.Contains("zstd", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decompress_Corrupted_IsInvalidData()
    {
        var compressed = ZstdCompressor.Frame(Payload(200_000));
        compressed[4] |= 0x08;   // the frame header descriptor's reserved bit, which a decoder must refuse
        await Assert.ThrowsAsync<InvalidDataException>(() => ReadAllAsync(compressed, 65536));
    }

    [Fact]
    public async Task ApplyLayer_ZstdTar_UnpacksWithTheDiffIdOfThePlainTar()
    {
        var tar = Build(Dir("etc/"), File("etc/greeting", "hello from zstd\n"), File("big", new string('z', 100_000))).ToArray();
        var layers = new LayerStore(new DataRoot(_dir.Path));
        var diffId = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(tar));

        var info = await layers.ApplyLayerAsync(null, new MemoryStream(ZstdCompressor.Frame(tar)), diffId, CancellationToken.None);

        Assert.Equal(diffId, info.DiffId);
        Assert.Equal("hello from zstd\n", await System.IO.File.ReadAllTextAsync(Path.Join(layers.LayerDir(info.ChainId), "etc", "greeting")));
        Assert.Equal(100_000, new FileInfo(Path.Join(layers.LayerDir(info.ChainId), "big")).Length);
    }

    [Fact]
    public async Task ApplyLayer_CorruptedZstd_FailsAndLeavesNoSnapshot()
    {
        var tar = Build(File("f", new string('q', 50_000))).ToArray();
        var compressed = ZstdCompressor.Frame(tar);
        compressed[4] |= 0x08;
        var root = new DataRoot(_dir.Path);
        var layers = new LayerStore(root);
        await Assert.ThrowsAsync<InvalidDataException>(() => layers.ApplyLayerAsync(null, new MemoryStream(compressed), null, CancellationToken.None));
        Assert.Empty(Directory.EnumerateFileSystemEntries(root.SnapshotsDir));
    }
}

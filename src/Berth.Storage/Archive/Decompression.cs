using System.IO.Compression;
using Berth.Core.Errors;

namespace Berth.Storage.Archive;

/// <summary>
/// Recognises a compressed layer by its magic bytes, whatever its media type says (Docker does the same: zstd data under a
/// docker gzip media type unpacks), and returns a stream of the plain tar.
/// </summary>
public static class Decompression
{
    /// <summary>What the first bytes of a layer blob say it is.</summary>
    public static LayerCompression Sniff(ReadOnlySpan<byte> head) => head switch
    {
        [0x1f, 0x8b, ..] => LayerCompression.Gzip,
        [0x28, 0xb5, 0x2f, 0xfd, ..] => LayerCompression.Zstd,
        // A zstd stream may open with a skippable frame (magic 0x184D2A50-5F, little endian); Docker sniffs those as zstd too.
        [var b0, 0x2a, 0x4d, 0x18, ..] when (b0 & 0xf0) == 0x50 => LayerCompression.Zstd,
        [(byte)'B', (byte)'Z', (byte)'h', ..] => LayerCompression.Bzip2,
        _ => LayerCompression.None,
    };

    /// <summary>Sniffs a stored blob (push picks its media type from what the bytes are).</summary>
    public static LayerCompression SniffFile(string path)
    {
        using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        Span<byte> head = stackalloc byte[4];
        return Sniff(head[..s.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)]);
    }

    public static async Task<Stream> OpenAsync(Stream input, CancellationToken ct)
    {
        var head = new byte[4];
        var n = await input.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        var prefixed = new PrefixedStream(head.AsMemory(0, n), input);
        return Sniff(head.AsSpan(0, n)) switch
        {
            // GZipStream reads its input 8 KiB at a time; a larger buffer below it saves most of those reads.
            LayerCompression.Gzip => new GZipStream(new BufferedStream(prefixed, 256 * 1024), CompressionMode.Decompress),
            LayerCompression.Zstd => new ZstdDecompressionStream(prefixed),
            LayerCompression.Bzip2 => throw new NotImplementedEngineException("bzip2-compressed layers are not supported"),
            _ => prefixed,
        };
    }
}

public enum LayerCompression
{
    None,
    Gzip,
    Zstd,
    Bzip2,
}

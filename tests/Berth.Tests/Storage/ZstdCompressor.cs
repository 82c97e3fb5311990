using System.Runtime.InteropServices;

namespace Berth.Tests.Storage;

/// <summary>Makes zstd frames for tests with Debian's libzstd1 (the daemon only decompresses; nothing of ours compresses zstd).</summary>
internal static partial class ZstdCompressor
{
    [LibraryImport("libzstd.so.1", EntryPoint = "ZSTD_compressBound")]
    private static partial nuint CompressBound(nuint srcSize);

    [LibraryImport("libzstd.so.1", EntryPoint = "ZSTD_compress")]
    private static unsafe partial nuint Compress(byte* dst, nuint dstCapacity, byte* src, nuint srcSize, int level);

    [LibraryImport("libzstd.so.1", EntryPoint = "ZSTD_isError")]
    private static partial uint IsError(nuint code);

    /// <summary>One frame holding <paramref name="data"/>.</summary>
    public static unsafe byte[] Frame(ReadOnlySpan<byte> data, int level = 3)
    {
        var dst = new byte[(int)CompressBound((nuint)data.Length)];
        nuint n;
        fixed (byte* s = data)
        fixed (byte* d = dst)
            n = Compress(d, (nuint)dst.Length, s, (nuint)data.Length, level);
        if (IsError(n) != 0) throw new InvalidOperationException("ZSTD_compress failed");
        return dst[..(int)n];
    }

    /// <summary>
    /// <paramref name="data"/> cut into frames of <paramref name="frameSize"/> bytes, with a skippable frame first, as a
    /// multi-threaded or seekable zstd writes them: a decoder must read on across frame ends.
    /// </summary>
    public static byte[] Frames(ReadOnlySpan<byte> data, int frameSize)
    {
        var output = new MemoryStream();
        // Skippable frame: magic 0x184D2A50 (little endian), 4-byte length, payload.
        output.Write([0x50, 0x2A, 0x4D, 0x18, 3, 0, 0, 0, 1, 2, 3]);
        for (var at = 0; at < data.Length; at += frameSize) output.Write(Frame(data[at..Math.Min(data.Length, at + frameSize)]));
        return output.ToArray();
    }
}

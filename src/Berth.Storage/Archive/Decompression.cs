using System.IO.Compression;
using Berth.Core.Errors;

namespace Berth.Storage.Archive;

/// <summary>Recognises a compressed layer by its magic bytes and returns a stream of the plain tar.</summary>
public static class Decompression
{
    public static async Task<Stream> OpenAsync(Stream input, CancellationToken ct)
    {
        var head = new byte[4];
        var n = await input.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        var prefixed = new PrefixedStream(head.AsMemory(0, n), input);
        if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b) return new GZipStream(prefixed, CompressionMode.Decompress);
        if (n == 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd)
            throw new NotImplementedEngineException("zstd-compressed layers are not supported yet");
        if (n == 4 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h')
            throw new NotImplementedEngineException("bzip2-compressed layers are not supported");
        return prefixed;
    }
}

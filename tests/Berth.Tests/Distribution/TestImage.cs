using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Berth.Core.Ids;
using Berth.Distribution;
using Berth.Storage;
using Berth.Storage.Archive;
using Berth.Tests.Storage;

namespace Berth.Tests.Distribution;

/// <summary>Builds a small image straight into a content store: gzip (or zstd) layers with one file each, and a config naming their diff ids.</summary>
internal static class TestImage
{
    public static PushImage Create(ContentStore content, params string[] files) => Create(content, LayerCompression.Gzip, files);

    public static PushImage Create(ContentStore content, LayerCompression compression, params string[] files)
    {
        var layers = new List<PushLayer>();
        foreach (var (file, i) in files.Select((f, i) => (f, i)))
        {
            var tar = TarBuilder.Build(TarBuilder.Dir("data/"), TarBuilder.File("data/" + file, $"content of {file} #{i}\n" + new string('x', 5000 * (i + 1)))).ToArray();
            var diffId = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(tar));
            byte[] packed;
            if (compression == LayerCompression.Zstd)
            {
                packed = ZstdCompressor.Frames(tar, 4096);
            }
            else
            {
                var gz = new MemoryStream();
                using (var z = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true)) z.Write(tar);
                packed = gz.ToArray();
            }
            var blob = content.WriteAsync(new MemoryStream(packed), null, CancellationToken.None).GetAwaiter().GetResult();
            layers.Add(new PushLayer(blob, diffId, packed.Length, compression));
        }
        var diffs = string.Join(",", layers.Select(l => $"\"{l.DiffId}\""));
        var config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"/bin/sh\"]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + diffs + "]}}";
        var bytes = Encoding.UTF8.GetBytes(config);
        var configDigest = content.WriteAsync(new MemoryStream(bytes), null, CancellationToken.None).GetAwaiter().GetResult();
        return new PushImage(configDigest, bytes.Length, layers);
    }
}

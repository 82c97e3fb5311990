using System.Security.Cryptography;
using Berth.Core.Archive;

namespace Berth.Storage.Archive;

/// <summary>
/// moby's tarsum v1 per entry (daemon/builder/remotecontext/internal/tarsum/tarsum.go), as the classic builder takes it of
/// the build context the client sent: sha256 over the entry's header fields (<see cref="TarSumHeader"/>) and its content,
/// keyed by the cleaned name. The first entry of a name wins, as moby's FileInfoSums.GetFile returns the first match.
/// </summary>
public static class TarSum
{
    public static async Task<Dictionary<string, string>> FileSumsAsync(Stream tar, CancellationToken ct)
    {
        await using var plain = await Decompression.OpenAsync(tar, ct);
        var reader = new TarStreamReader(plain);
        var sums = new Dictionary<string, string>(StringComparer.Ordinal);
        var buffer = new byte[1 << 16];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        while (await reader.NextAsync(ct) is { } h)
        {
            // The header as the client wrote it: mode with whatever bits it set, its uid and gid (the docker CLI writes 0:0).
            hash.AppendData(TarSumHeader.Encode(h.Name, h.Mode, h.Uid, h.Gid, h.Size, h.Type, h.LinkName, h.DevMajor, h.DevMinor,
                h.Xattrs.Select(x => KeyValuePair.Create(x.Key, x.Value))));
            int n;
            while ((n = await reader.Data.ReadAsync(buffer, ct)) > 0) hash.AppendData(buffer, 0, n);
            sums.TryAdd(TarSumHeader.EntryKey(h.Name), Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        return sums;
    }
}

using System.Globalization;
using System.Text;
using Berth.Storage.Content;

namespace Berth.Storage.Snapshots;

/// <summary>The small <c>meta</c> file beside a snapshot's <c>fs</c>: its diff id, parent chain id and content size.</summary>
internal sealed record SnapshotMeta(string DiffId, string? ParentChainId, long Size)
{
    public const string FileName = "meta";

    public void Write(string snapshotDir)
    {
        var text = $"diff_id={DiffId}\nparent={ParentChainId}\nsize={Size.ToString(CultureInfo.InvariantCulture)}\n";
        FileSync.WriteAllBytesAtomic(Path.Join(snapshotDir, FileName), Encoding.UTF8.GetBytes(text));
    }

    public static SnapshotMeta? TryRead(string snapshotDir)
    {
        var path = Path.Join(snapshotDir, FileName);
        if (!File.Exists(path)) return null;
        var values = File.ReadAllLines(path).Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        return new SnapshotMeta(values.GetValueOrDefault("diff_id", ""),
            values.GetValueOrDefault("parent") is { Length: > 0 } parent ? parent : null,
            long.TryParse(values.GetValueOrDefault("size"), CultureInfo.InvariantCulture, out var size) ? size : 0);
    }
}

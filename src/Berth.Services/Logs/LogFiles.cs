using System.IO.Compression;

namespace Berth.Services.Logs;

/// <summary>
/// The files of one container log, oldest first: the rotated <c>path.9</c> … <c>path.1</c>, each plain or gzipped as
/// <c>path.N.gz</c> (the compress option), then the live <c>path</c>. Rotation renames them under a per-path lock that
/// readers take while they open the set, so a reader never sees a file twice or misses one: what it opened stays
/// readable through later renames.
/// </summary>
public static class LogFiles
{
    /// <summary>The most rotated files Berth keeps (max-file is capped at 9 + the live one).</summary>
    public const int MaxRotated = 9;

    // Striped, so no per-container state has to be created or forgotten.
    private static readonly Lock[] s_locks = [.. Enumerable.Range(0, 64).Select(_ => new Lock())];

    public static Lock LockOf(string path) => s_locks[(StringComparer.Ordinal.GetHashCode(path) & int.MaxValue) % s_locks.Length];

    public static string Rotated(string path, int index, bool compressed = false) =>
        $"{path}.{index}{(compressed ? LogCompressor.Extension : "")}";

    /// <summary>Opens every existing file of the log, oldest first; the last one is the live file when it exists.</summary>
    public static List<(Stream Stream, bool Live)> OpenAll(string path)
    {
        var result = new List<(Stream, bool)>();
        lock (LockOf(path))
        {
            try
            {
                for (var i = MaxRotated; i >= 1; i--)
                {
                    // The plain file first: while it is being compressed, both exist and only it is complete.
                    if (TryOpen(Rotated(path, i)) is { } plain) result.Add((plain, false));
                    else if (TryOpen(Rotated(path, i, compressed: true)) is { } gz) result.Add((new GZipStream(gz, CompressionMode.Decompress), false));
                }
                if (TryOpen(path) is { } live) result.Add((live, true));
            }
            catch
            {
                foreach (var (s, _) in result) s.Dispose();
                throw;
            }
        }
        return result;
    }

    public static FileStream Open(string file) =>
        new(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);

    private static FileStream? TryOpen(string file)
    {
        try { return Open(file); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }
}

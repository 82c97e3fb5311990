using System.IO.Compression;

namespace Berth.Services.Logs;

/// <summary>
/// Gzips a rotated log file (<c>path.1</c> → <c>path.1.gz</c>) as Docker's compress option does. The archive is
/// written under a temporary name and renamed into place before the plain file goes, so a reader always finds one
/// complete copy: it prefers <c>path.N</c> and falls back to <c>path.N.gz</c> (<see cref="LogFiles"/>).
/// </summary>
public static class LogCompressor
{
    public const string Extension = ".gz";

    public static void Compress(string file)
    {
        var temp = file + Extension + ".tmp";
        try
        {
            using (var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.SequentialScan))
            using (var target = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            using (var gzip = new GZipStream(target, CompressionLevel.Fastest))
                source.CopyTo(gzip, 1 << 16);
            File.Move(temp, file + Extension, overwrite: true);
            File.Delete(file);
        }
        catch (FileNotFoundException)
        {
            // Rotated away (or compressed) before we got to it.
            TryDelete(temp);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
    }
}

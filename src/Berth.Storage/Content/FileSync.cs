using Berth.Storage.Interop;

namespace Berth.Storage.Content;

/// <summary>Crash-safe publication: write a temp file, fsync it, rename it into place, fsync the directory.</summary>
internal static class FileSync
{
    public static void SyncDirectory(string dir)
    {
        var fd = Libc.Open(dir, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
        if (fd < 0) throw Libc.LastError($"open {dir}");
        try
        {
            if (Libc.Fsync(fd) != 0) throw Libc.LastError($"fsync {dir}");
        }
        finally
        {
            Libc.Close(fd);
        }
    }

    public static void WriteAllBytesAtomic(string path, ReadOnlySpan<byte> data)
    {
        var dir = Path.GetDirectoryName(path)!;
        var tmp = Path.Join(dir, $".tmp-{Path.GetFileName(path)}-{Guid.NewGuid():N}");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write))
            {
                fs.Write(data);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            File.Delete(tmp);
            throw;
        }
        SyncDirectory(dir);
    }
}

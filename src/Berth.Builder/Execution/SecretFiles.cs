namespace Berth.Builder.Execution;

/// <summary>
/// The files behind one RUN's <c>--mount=type=secret</c>: written to a private directory on <c>/dev/shm</c> (tmpfs, so a secret
/// never touches a disk), bind-mounted read-only into the step's container, deleted when the step ends.
/// </summary>
internal sealed class SecretFiles : IDisposable
{
    private string? _dir;

    /// <summary>Writes the secret with its mode and owner; returns the host path to bind.</summary>
    public string Add(byte[] value, int mode, int uid, int gid)
    {
        _dir ??= CreateDirectory();
        var path = Path.Join(_dir, Guid.NewGuid().ToString("N"));
        using (var f = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
            f.Write(value);
        Interop.Libc.LchownOrThrow(path, uid, gid);
        File.SetUnixFileMode(path, (UnixFileMode)mode);
        return path;
    }

    private static string CreateDirectory()
    {
        var root = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        var dir = Path.Join(root, "berth-secrets-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return dir;
    }

    public void Dispose()
    {
        if (_dir is null) return;
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }   // tmpfs scratch: nothing else points at it once the step is over
        catch (UnauthorizedAccessException) { }
    }
}

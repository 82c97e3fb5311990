namespace Berth.Storage.Archive;

/// <summary>
/// What <c>X-Docker-Container-Path-Stat</c> carries. <paramref name="Mode"/> is a Go <c>os.FileMode</c> (permission bits plus Go's
/// type flags), not a POSIX st_mode: the docker CLI tests <c>mode &amp; ModeSymlink</c> and <c>IsDir()</c> on it.
/// </summary>
public sealed record ContainerPathStat(string Name, long Size, uint Mode, DateTimeOffset Mtime, string LinkTarget)
{
    public const uint GoModeDir = 1u << 31;
    public const uint GoModeSymlink = 1u << 27;
    public const uint GoModeDevice = 1u << 26;
    public const uint GoModeNamedPipe = 1u << 25;
    public const uint GoModeSocket = 1u << 24;
    public const uint GoModeSetuid = 1u << 23;
    public const uint GoModeSetgid = 1u << 22;
    public const uint GoModeCharDevice = 1u << 21;
    public const uint GoModeSticky = 1u << 20;

    public bool IsDir => (Mode & GoModeDir) != 0;

    /// <summary>Converts a POSIX st_mode to a Go FileMode, as Go's os.Lstat does.</summary>
    public static uint GoFileMode(uint stMode)
    {
        var mode = stMode & 0x1FF;
        switch (stMode & 0xF000)
        {
            case 0x4000: mode |= GoModeDir; break;
            case 0xA000: mode |= GoModeSymlink; break;
            case 0x1000: mode |= GoModeNamedPipe; break;
            case 0xC000: mode |= GoModeSocket; break;
            case 0x6000: mode |= GoModeDevice; break;
            case 0x2000: mode |= GoModeDevice | GoModeCharDevice; break;
        }
        if ((stMode & 0x800) != 0) mode |= GoModeSetuid;
        if ((stMode & 0x400) != 0) mode |= GoModeSetgid;
        if ((stMode & 0x200) != 0) mode |= GoModeSticky;
        return mode;
    }
}

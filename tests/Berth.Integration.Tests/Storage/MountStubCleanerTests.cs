using System.Runtime.InteropServices;
using Berth.Integration.Tests.Support;
using Berth.Storage;

namespace Berth.Integration.Tests.Storage;

/// <summary>
/// Mount-point removal over hand-made lower and upper dirs (root: whiteouts are char devices 0/0, opaque dirs a trusted xattr):
/// what the image had, through whiteouts, opaque dirs and symlinks, decides what counts as made by the runtime.
/// </summary>
public sealed partial class MountStubCleanerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-itest-stub-").FullName;
    private readonly string _upper;
    private readonly string _top;
    private readonly string _bottom;

    public MountStubCleanerTests()
    {
        _upper = Sub("upper");
        _top = Sub("top");
        _bottom = Sub("bottom");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Sub(string name) => Directory.CreateDirectory(Path.Join(_dir, name)).FullName;

    private string[] Lowers => [_top, _bottom];

    [LibraryImport("libc", EntryPoint = "mknod", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Mknod(string path, uint mode, ulong dev);

    [LibraryImport("libc", EntryPoint = "lsetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Lsetxattr(string path, string name, ReadOnlySpan<byte> value, nuint size, int flags);

    private static void Whiteout(string path) => Assert.Equal(0, Mknod(path, 0x2000, 0));

    private static void Opaque(string path) => Assert.Equal(0, Lsetxattr(path, "trusted.overlay.opaque", "y"u8, 1, 0));

    private string Upper(string rel) => Path.Join(_upper, rel);

    [RootFact]
    public void NewChain_EmptyStubsGo_UpToWhatTheImageHad()
    {
        Directory.CreateDirectory(Path.Join(_bottom, "var"));
        Directory.CreateDirectory(Upper("var/cache/apt"));
        Directory.CreateDirectory(Upper("run/secrets"));
        File.WriteAllBytes(Upper("run/secrets/tok"), []);
        MountStubCleaner.Remove(_upper, Lowers, ["/var/cache/apt", "/run/secrets/tok"]);
        // /var was only copied up (same mode and owner as below): it goes too, leaving the upper dir as it was before the step.
        Assert.Empty(Directory.EnumerateFileSystemEntries(_upper));
    }

    [RootFact]
    public void StepWroteBesideTheMountPoint_ThatPathAndItsParentsStay()
    {
        Directory.CreateDirectory(Upper("work/cache"));
        File.WriteAllText(Upper("work/file"), "x");
        File.WriteAllText(Upper("secret"), "not empty: a file the step wrote over the stub is kept");
        MountStubCleaner.Remove(_upper, Lowers, ["/work/cache", "/secret"]);
        Assert.False(Directory.Exists(Upper("work/cache")));
        Assert.True(File.Exists(Upper("work/file")));
        Assert.True(File.Exists(Upper("secret")));
    }

    [RootFact]
    public void TargetTheImageHad_StaysInTheImage_ParentWithChangedModeStaysInTheLayer()
    {
        Directory.CreateDirectory(Path.Join(_bottom, "data/existing"));
        Directory.CreateDirectory(Path.Join(_bottom, "opt"));
        Directory.CreateDirectory(Upper("data/existing"));
        Directory.CreateDirectory(Upper("opt/new"));
        File.SetUnixFileMode(Upper("opt"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        MountStubCleaner.Remove(_upper, Lowers, ["/data/existing", "/opt/new"]);
        Assert.False(Directory.Exists(Upper("data")));       // unchanged copies of what was below: the view is the same without them
        Assert.False(Directory.Exists(Upper("opt/new")));
        Assert.True(Directory.Exists(Upper("opt")));         // its mode was changed by the step: that is a change to keep
    }

    [RootFact]
    public void WhiteoutOrOpaqueDirAbove_HidesWhatTheLowerLayerHad()
    {
        Directory.CreateDirectory(Path.Join(_bottom, "gone/cache"));
        Whiteout(Path.Join(_top, "gone"));
        Directory.CreateDirectory(Path.Join(_bottom, "reset/cache"));
        Opaque(Directory.CreateDirectory(Path.Join(_top, "reset")).FullName);
        // Hidden below with another mode: were they taken for the image's, the stubs (0755) would look changed and stay.
        File.SetUnixFileMode(Path.Join(_bottom, "gone/cache"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(Path.Join(_bottom, "reset/cache"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(Upper("gone/cache"));
        Directory.CreateDirectory(Upper("reset/cache"));
        MountStubCleaner.Remove(_upper, Lowers, ["/gone/cache", "/reset/cache"]);
        // Both paths were missing in the image's view, so both are the runtime's: gone entirely (reset/ was in the top layer).
        Assert.Empty(Directory.EnumerateFileSystemEntries(_upper));
    }

    [RootFact]
    public void TargetThroughSymlink_IsFoundWhereTheRuntimeMadeIt()
    {
        Directory.CreateDirectory(Path.Join(_bottom, "real"));
        File.CreateSymbolicLink(Path.Join(_top, "link"), "/real");
        Directory.CreateDirectory(Upper("real/cache"));
        MountStubCleaner.Remove(_upper, Lowers, ["/link/cache"]);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_upper));
    }
}

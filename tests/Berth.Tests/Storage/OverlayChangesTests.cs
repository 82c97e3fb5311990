using System.Runtime.InteropServices;
using Berth.Storage;

namespace Berth.Tests.Storage;

/// <summary><c>docker diff</c>'s rules over an overlay upper dir: A/C/D, parent directories, runtime mount stubs hidden.</summary>
public sealed partial class OverlayChangesTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [LibraryImport("libc", EntryPoint = "mknod", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Mknod(string path, uint mode, ulong dev);

    private string Make(string root, string rel, string? content = "x")
    {
        var path = Path.Join(root, rel);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (content is null) Directory.CreateDirectory(path); else File.WriteAllText(path, content);
        return path;
    }

    private static string Render(IEnumerable<FsChange> changes) =>
        string.Join("\n", changes.Select(c => (c.Kind switch { FsChange.Added => "A", FsChange.Modified => "C", _ => "D" }) + " " + c.Path));

    [Fact]
    public void AddedChangedAndDeleted_ReportedWithTheirParents()
    {
        if (!Environment.IsPrivilegedProcess) return;   // whiteouts are character devices: mknod needs root (CI is root)
        var lower = _dir.Sub("lower");
        var upper = _dir.Sub("upper");
        Make(lower, "etc/passwd");
        Make(lower, "tmp", null);
        Make(lower, "data/old");
        Make(lower, "usr/bin/tool");
        Directory.CreateDirectory(upper);

        Make(upper, "tmp/file.txt");                 // added under an existing directory
        Make(upper, "etc/passwd", "changed");        // changed file
        Make(upper, "www/index.html");               // a new tree
        Directory.CreateDirectory(Path.Join(upper, "data"));
        Assert.Equal(0, Mknod(Path.Join(upper, "data", "old"), 0x2000 /* S_IFCHR */, 0));   // overlay whiteout
        Make(upper, "empty-new", null);              // a new, empty directory is still an addition

        Assert.Equal("""
            C /data
            D /data/old
            A /empty-new
            C /etc
            C /etc/passwd
            C /tmp
            A /tmp/file.txt
            A /www
            A /www/index.html
            """.ReplaceLineEndings("\n"), Render(OverlayChanges.Compute(upper, [lower])));
    }

    [Fact]
    public void RuntimeMountStubs_AreNotChanges()
    {
        var lower = _dir.Sub("lower");
        var upper = _dir.Sub("upper");
        Make(lower, "bin/sh");
        Make(lower, "etc", null);
        Make(upper, "etc/hosts", "");
        Make(upper, "etc/hostname", "");
        Make(upper, "etc/resolv.conf", "");
        Make(upper, ".dockerenv", "");
        Make(upper, "proc", null);
        Make(upper, "dev/pts", null);

        Assert.Empty(OverlayChanges.Compute(upper, [lower]));

        // A directory made only to hold stubs (the image had no /etc at all) is not an addition either.
        var bare = _dir.Sub("bare");
        Make(bare, "bin/sh");
        var upper2 = _dir.Sub("upper2");
        Make(upper2, "etc/hosts", "");
        Assert.Empty(OverlayChanges.Compute(upper2, [bare]));

        // But a written /etc/hosts (not empty) or a real file next to the stubs is.
        Make(upper2, "etc/motd", "hello");
        Assert.Equal("A /etc\nA /etc/motd", Render(OverlayChanges.Compute(upper2, [bare])));
    }

    [Fact]
    public void FileInALowerLayer_BelowTheTopOne_IsChangedNotAdded()
    {
        var bottom = _dir.Sub("bottom");
        var top = _dir.Sub("top");
        var upper = _dir.Sub("upper");
        Make(bottom, "opt/app/config");
        Make(top, "srv", null);
        Make(upper, "opt/app/config", "new");
        Assert.Equal("C /opt\nC /opt/app\nC /opt/app/config", Render(OverlayChanges.Compute(upper, [top, bottom])));
    }
}

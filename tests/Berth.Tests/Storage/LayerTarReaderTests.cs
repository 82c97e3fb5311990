using System.Formats.Tar;
using Berth.Core.Errors;
using Berth.Storage;
using static Berth.Tests.Storage.TarBuilder;

namespace Berth.Tests.Storage;

public sealed class LayerTarReaderTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _base;
    private readonly string _target;

    public LayerTarReaderTests()
    {
        // The target sits two levels down so that "../.." escapes land inside _base, where we can look for them.
        _base = _dir.Path;
        _target = Path.Join(_base, "a", "b", "target");
        Directory.CreateDirectory(_target);
    }

    public void Dispose() => _dir.Dispose();

    private Task ExtractAsync(Stream tar) => LayerTarReader.ExtractAsync(tar, _target, CancellationToken.None);

    private string T(string rel) => Path.Join(_target, rel);

    /// <summary>Everything under the base dir except the target tree, walked without following links (the target may link to "/").</summary>
    private string[] FilesOutsideTarget()
    {
        var found = new List<string>();
        void Walk(string dir)
        {
            foreach (var entry in new DirectoryInfo(dir).EnumerateFileSystemInfos())
            {
                if (entry.FullName == _target) continue;
                if (entry.FullName != Path.Join(_base, "a") && entry.FullName != Path.Join(_base, "a", "b")) found.Add(entry.FullName);
                if (entry is DirectoryInfo && entry.LinkTarget is null) Walk(entry.FullName);
            }
        }
        Walk(_base);
        return [.. found];
    }

    [Fact]
    public async Task Extract_RegularFilesDirsAndModes()
    {
        await ExtractAsync(Build(
            Dir("etc/", (UnixFileMode)0x1C0 /* 0700 */),
            File("etc/conf", "hello", (UnixFileMode)0x1E4 /* 0744 */),
            File("deep/missing/parent/f", "x"),
            Dir("sticky/", (UnixFileMode)0x3FF /* 01777 */),
            File("setgid", "g", (UnixFileMode)0x5ED /* 02755 */)));

        Assert.Equal("hello", System.IO.File.ReadAllText(T("etc/conf")));
        Assert.Equal((UnixFileMode)0x1E4, System.IO.File.GetUnixFileMode(T("etc/conf")));
        Assert.Equal((UnixFileMode)0x1C0, System.IO.File.GetUnixFileMode(T("etc")));
        Assert.Equal("x", System.IO.File.ReadAllText(T("deep/missing/parent/f")));
        Assert.Equal((UnixFileMode)0x1ED, System.IO.File.GetUnixFileMode(T("deep/missing")));
        // No umask: sticky and world-writable bits survive.
        Assert.Equal((UnixFileMode)0x3FF, System.IO.File.GetUnixFileMode(T("sticky")));
        Assert.Equal((UnixFileMode)0x5ED, System.IO.File.GetUnixFileMode(T("setgid")));
    }

    [Fact]
    public async Task Extract_KeepsMtimesIncludingDirectories()
    {
        var when = new DateTimeOffset(2001, 2, 3, 4, 5, 6, TimeSpan.Zero);
        var dir = Dir("d/");
        dir.ModificationTime = when;
        var file = File("d/f", "x");
        file.ModificationTime = when.AddDays(1);
        await ExtractAsync(Build(dir, file));
        Assert.Equal(when.UtcDateTime, System.IO.File.GetLastWriteTimeUtc(T("d")));
        Assert.Equal(when.AddDays(1).UtcDateTime, System.IO.File.GetLastWriteTimeUtc(T("d/f")));
    }

    [Fact]
    public async Task Extract_SymlinksAndHardLinks()
    {
        await ExtractAsync(Build(File("bin/busybox", "BB"), Symlink("bin/sh", "/bin/busybox"), Symlink("rel", "bin/busybox"),
            HardLink("bin/ls", "bin/busybox"), Symlink("dangling", "/nowhere")));

        Assert.Equal("/bin/busybox", new FileInfo(T("bin/sh")).LinkTarget);
        Assert.Equal("bin/busybox", new FileInfo(T("rel")).LinkTarget);
        Assert.Equal("/nowhere", new FileInfo(T("dangling")).LinkTarget);
        Assert.Equal("BB", System.IO.File.ReadAllText(T("bin/ls")));
        System.IO.File.AppendAllText(T("bin/ls"), "!");
        Assert.Equal("BB!", System.IO.File.ReadAllText(T("bin/busybox")));   // same inode
    }

    [Fact]
    public async Task Extract_LaterEntryReplacesEarlier()
    {
        await ExtractAsync(Build(File("f", "one"), File("f", "two"), Dir("d/"), File("d/x", "x"), File("d", "now a file")));
        Assert.Equal("two", System.IO.File.ReadAllText(T("f")));
        Assert.Equal("now a file", System.IO.File.ReadAllText(T("d")));
    }

    [Fact]
    public async Task Extract_Gzip_IsDetected()
    {
        var plain = Build(File("f", "zipped"));
        var gz = new MemoryStream();
        await using (var z = new System.IO.Compression.GZipStream(gz, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            await plain.CopyToAsync(z);
        gz.Position = 0;
        await ExtractAsync(gz);
        Assert.Equal("zipped", System.IO.File.ReadAllText(T("f")));
    }

    [Fact]
    public async Task Extract_LongNames()
    {
        var name = string.Join('/', Enumerable.Repeat("segment-of-a-long-path", 12)) + "/file";
        await ExtractAsync(Build(File(name, "long")));
        Assert.Equal("long", System.IO.File.ReadAllText(T(name)));
    }

    // ---- malicious archives: one test per trick ----

    [Fact]
    public async Task Malicious_DotDotPath_RefusedNothingOutside()
    {
        await Assert.ThrowsAsync<InvalidArgumentException>(() => ExtractAsync(Build(File("../../etc/x", "pwned"))));
        Assert.Empty(FilesOutsideTarget());
    }

    [Fact]
    public async Task Malicious_DeepDotDot_RefusedNothingOutside()
    {
        await Assert.ThrowsAsync<InvalidArgumentException>(() => ExtractAsync(Build(File("a/../../../x", "pwned"))));
        Assert.Empty(FilesOutsideTarget());
    }

    [Fact]
    public async Task Malicious_DotDotInsideTree_IsFine()
    {
        await ExtractAsync(Build(File("a/b/../c", "ok")));
        Assert.Equal("ok", System.IO.File.ReadAllText(T("a/c")));
        Assert.Empty(FilesOutsideTarget());
    }

    [Fact]
    public async Task Malicious_AbsolutePath_ContainedInTarget()
    {
        var name = $"/berth-abs-{Guid.NewGuid():N}/path";
        await ExtractAsync(Build(File(name, "inside")));
        Assert.False(Directory.Exists(Path.GetDirectoryName(name)));
        Assert.Equal("inside", System.IO.File.ReadAllText(T(name.TrimStart('/'))));
        Assert.Empty(FilesOutsideTarget());
    }

    [Fact]
    public async Task Malicious_SymlinkToRoot_ThenWriteThroughIt_Contained()
    {
        var victim = $"tmp/berth-escape-{Guid.NewGuid():N}";
        await ExtractAsync(Build(Symlink("root", "/"), File("root/" + victim, "pwned")));
        Assert.False(System.IO.File.Exists("/" + victim));
        Assert.Equal("pwned", System.IO.File.ReadAllText(T(victim)));   // resolved as if the target were "/"
        Assert.Empty(FilesOutsideTarget());
    }

    [Fact]
    public async Task Malicious_RelativeSymlinkParentEscape_Contained()
    {
        await ExtractAsync(Build(Symlink("evil", "../../.."), File("evil/escaped", "pwned")));
        Assert.False(System.IO.File.Exists(Path.Join(_base, "escaped")));
        Assert.Empty(FilesOutsideTarget());
        Assert.Equal("pwned", System.IO.File.ReadAllText(T("escaped")));
    }

    [Fact]
    public async Task Malicious_SymlinkDirChain_Contained()
    {
        // A link to a link to outside, then a directory entry and a file through it.
        var outside = Path.Join(_base, "outside");
        Directory.CreateDirectory(outside);
        // Either outcome is safe: the dangling (in-root) link makes the entry fail, or it lands inside. Never outside.
        _ = await Record.ExceptionAsync(() => ExtractAsync(Build(Symlink("l1", outside), Symlink("l2", "l1"), Dir("l2/sub/"), File("l2/sub/f", "pwned"))));
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        Directory.Delete(outside);
        Assert.Empty(FilesOutsideTarget());
    }

    [Fact]
    public async Task Malicious_FileReplacesSymlinkPointingOut_DoesNotWriteThrough()
    {
        var victim = Path.Join(_base, "victim");
        System.IO.File.WriteAllText(victim, "original");
        await ExtractAsync(Build(Symlink("f", victim), File("f", "pwned")));
        Assert.Equal("original", System.IO.File.ReadAllText(victim));
        Assert.Equal("pwned", System.IO.File.ReadAllText(T("f")));
        Assert.False(new FileInfo(T("f")).Attributes.HasFlag(FileAttributes.ReparsePoint));
        System.IO.File.Delete(victim);
    }

    [Fact]
    public async Task Malicious_HardLinkToEtcPasswd_Refused()
    {
        var before = System.IO.File.ReadAllText("/etc/passwd");
        await Assert.ThrowsAsync<InvalidArgumentException>(() => ExtractAsync(Build(HardLink("pw", "/etc/passwd"))));
        Assert.False(System.IO.File.Exists(T("pw")));
        Assert.Equal(before, System.IO.File.ReadAllText("/etc/passwd"));
    }

    [Fact]
    public async Task Malicious_HardLinkDotDotOut_Refused()
    {
        var victim = Path.Join(_base, "a", "secret");
        System.IO.File.WriteAllText(victim, "secret");
        await Assert.ThrowsAsync<InvalidArgumentException>(() => ExtractAsync(Build(HardLink("pw", "../../secret"))));
        Assert.False(System.IO.File.Exists(T("pw")));
        System.IO.File.Delete(victim);
    }

    [Fact]
    public async Task Malicious_HardLinkThroughSymlinkOut_Refused()
    {
        var outside = Path.Join(_base, "outside");
        Directory.CreateDirectory(outside);
        System.IO.File.WriteAllText(Path.Join(outside, "secret"), "secret");
        await Assert.ThrowsAsync<InvalidArgumentException>(() => ExtractAsync(Build(Symlink("l", outside), HardLink("pw", "l/secret"))));
        Assert.False(System.IO.File.Exists(T("pw")));
        Directory.Delete(outside, recursive: true);
    }

    [Fact]
    public async Task Malicious_WhiteoutDotDot_Refused()
    {
        await Assert.ThrowsAnyAsync<EngineException>(() => ExtractAsync(Build(File("x/.wh...", ""))));
        Assert.Empty(FilesOutsideTarget());
    }

    [Fact]
    public async Task Truncated_Archive_Throws()
    {
        var full = Build(File("f", new string('x', 5000))).ToArray();
        await Assert.ThrowsAsync<InvalidArgumentException>(() => ExtractAsync(new MemoryStream(full[..1500])));
    }

    [Fact]
    public async Task Corrupt_Checksum_Throws()
    {
        var bytes = Build(File("f", "x")).ToArray();
        bytes[1] ^= 0x55;   // in the PAX header's name field
        await Assert.ThrowsAsync<InvalidArgumentException>(() => ExtractAsync(new MemoryStream(bytes)));
    }
}

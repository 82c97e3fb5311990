using System.Runtime.InteropServices;
using Berth.Storage;

namespace Berth.Tests.Storage;

public sealed partial class RootfsTarWriterTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [LibraryImport("libc", EntryPoint = "lsetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Lsetxattr(string path, string name, ReadOnlySpan<byte> value, nuint size, int flags);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string oldPath, string newPath);

    [LibraryImport("libc", EntryPoint = "lgetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint Lgetxattr(string path, string name, Span<byte> value, nuint size);

    private static byte[] GetXattr(string path, string name)
    {
        var buf = new byte[256];
        var n = Lgetxattr(path, name, buf, (nuint)buf.Length);
        Assert.True(n >= 0, $"getxattr {name} on {path}: errno {Marshal.GetLastPInvokeError()}");
        return buf[..(int)n];
    }

    [Fact]
    public async Task RoundTrip_PreservesContentModesLinksAndBinaryXattrs()
    {
        var src = _dir.Sub("src");
        Directory.CreateDirectory(Path.Join(src, "bin"));
        Directory.CreateDirectory(Path.Join(src, "empty"));
        File.WriteAllBytes(Path.Join(src, "bin", "tool"), [0, 1, 2, 255, 254]);
        File.SetUnixFileMode(Path.Join(src, "bin", "tool"), (UnixFileMode)0x9ED /* 04755 */);
        File.CreateSymbolicLink(Path.Join(src, "bin", "sh"), "/bin/tool");
        File.CreateSymbolicLink(Path.Join(src, "up"), "../outside");
        Assert.Equal(0, Link(Path.Join(src, "bin", "tool"), Path.Join(src, "bin", "tool-again")));
        File.WriteAllText(Path.Join(src, "private"), "secret");
        File.SetUnixFileMode(Path.Join(src, "private"), (UnixFileMode)0x180 /* 0600 */);
        File.SetUnixFileMode(Path.Join(src, "empty"), (UnixFileMode)0x3FF /* 01777 */);
        var name = string.Concat(Enumerable.Repeat("long-name-", 15));
        File.WriteAllText(Path.Join(src, name), "long");
        // Bytes that are not valid UTF-8: System.Formats.Tar would mangle these.
        byte[] binary = [0xff, 0x00, 0x80, 0xc3, 0x28, 0x01];
        Assert.Equal(0, Lsetxattr(Path.Join(src, "bin", "tool"), "user.berth.bin", binary, (nuint)binary.Length, 0));
        var when = new DateTime(2010, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(Path.Join(src, "private"), when);

        var tar = new MemoryStream();
        await RootfsTarWriter.WriteAsync(src, tar, CancellationToken.None);
        tar.Position = 0;
        var dst = _dir.Sub("dst");
        await LayerTarReader.ExtractAsync(tar, dst, CancellationToken.None);

        Assert.Equal([0, 1, 2, 255, 254], File.ReadAllBytes(Path.Join(dst, "bin", "tool")));
        Assert.Equal((UnixFileMode)0x9ED, File.GetUnixFileMode(Path.Join(dst, "bin", "tool")));
        Assert.Equal("/bin/tool", new FileInfo(Path.Join(dst, "bin", "sh")).LinkTarget);
        Assert.Equal("../outside", new FileInfo(Path.Join(dst, "up")).LinkTarget);
        Assert.Equal((UnixFileMode)0x180, File.GetUnixFileMode(Path.Join(dst, "private")));
        Assert.Equal((UnixFileMode)0x3FF, File.GetUnixFileMode(Path.Join(dst, "empty")));
        Assert.Equal(when, File.GetLastWriteTimeUtc(Path.Join(dst, "private")));
        Assert.Equal("long", File.ReadAllText(Path.Join(dst, name)));
        Assert.Equal(binary, GetXattr(Path.Join(dst, "bin", "tool"), "user.berth.bin"));
        File.AppendAllText(Path.Join(dst, "bin", "tool-again"), "!");
        Assert.Equal(6, new FileInfo(Path.Join(dst, "bin", "tool")).Length);   // still a hard link
    }

    [Fact]
    public async Task Write_IsDeterministicAndSorted()
    {
        var src = _dir.Sub("src");
        Directory.CreateDirectory(src);
        foreach (var n in new[] { "b", "a", "C", "a.b" }) File.WriteAllText(Path.Join(src, n), n);
        var first = new MemoryStream();
        var second = new MemoryStream();
        await RootfsTarWriter.WriteAsync(src, first, CancellationToken.None);
        await RootfsTarWriter.WriteAsync(src, second, CancellationToken.None);
        Assert.Equal(first.ToArray(), second.ToArray());

        first.Position = 0;
        using var reader = new System.Formats.Tar.TarReader(first);
        var names = new List<string>();
        while (reader.GetNextEntry() is { } e) names.Add(e.Name);
        Assert.Equal(["C", "a", "a.b", "b"], names);
    }
}

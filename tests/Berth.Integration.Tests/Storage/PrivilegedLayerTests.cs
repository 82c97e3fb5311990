using System.Diagnostics;
using System.Formats.Tar;
using System.Runtime.InteropServices;
using Berth.Integration.Tests.Support;
using Berth.Storage;

namespace Berth.Integration.Tests.Storage;

/// <summary>Extraction features that need root: owners, setuid, devices, overlay whiteouts and opaque dirs, trusted/security xattrs, overlay mounts.</summary>
public sealed partial class PrivilegedLayerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-itest-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [LibraryImport("libc", EntryPoint = "lgetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint Lgetxattr(string path, string name, Span<byte> value, nuint size);

    [LibraryImport("libc", EntryPoint = "lsetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Lsetxattr(string path, string name, ReadOnlySpan<byte> value, nuint size, int flags);

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Umount2(string target, int flags);

    private static byte[]? GetXattr(string path, string name)
    {
        var buf = new byte[256];
        var n = Lgetxattr(path, name, buf, (nuint)buf.Length);
        return n < 0 ? null : buf[..(int)n];
    }

    private static MemoryStream Tar(params TarEntry[] entries)
    {
        var ms = new MemoryStream();
        using (var w = new TarWriter(ms, TarEntryFormat.Pax, leaveOpen: true))
            foreach (var e in entries) w.WriteEntry(e);
        ms.Position = 0;
        return ms;
    }

    private static PaxTarEntry File(string name, string content, int mode = 0x1A4, int uid = 0, int gid = 0) =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)), Mode = (UnixFileMode)mode, Uid = uid, Gid = gid };

    private static (uint Uid, uint Gid, uint Mode, uint RdevMajor, uint RdevMinor) Stat(string path)
    {
        var psi = new ProcessStartInfo("stat", ["-c", "%u %g %f %t %T", path]) { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var parts = p.StandardOutput.ReadToEnd().Trim().Split(' ');
        p.WaitForExit();
        return (uint.Parse(parts[0]), uint.Parse(parts[1]), Convert.ToUInt32(parts[2], 16), Convert.ToUInt32(parts[3], 16), Convert.ToUInt32(parts[4], 16));
    }

    [RootFact]
    public async Task Extract_OwnersAndSetuid()
    {
        var target = Path.Join(_dir, "t");
        await LayerTarReader.ExtractAsync(Tar(File("suid", "x", 0x9ED /* 04755 */, 1000, 1001), File("sgid", "y", 0x5ED /* 02755 */, 0, 50),
            new PaxTarEntry(TarEntryType.Directory, "home/") { Mode = (UnixFileMode)0x1C0, Uid = 65534, Gid = 65534 },
            new PaxTarEntry(TarEntryType.SymbolicLink, "link") { LinkName = "suid", Uid = 7, Gid = 8 }), target, CancellationToken.None);

        var s = Stat(Path.Join(target, "suid"));
        Assert.Equal((1000u, 1001u, 0x81EDu | 0x800u), (s.Uid, s.Gid, s.Mode));   // chmod after chown keeps setuid
        Assert.Equal(0x85EDu, Stat(Path.Join(target, "sgid")).Mode);
        Assert.Equal((65534u, 65534u), (Stat(Path.Join(target, "home")).Uid, Stat(Path.Join(target, "home")).Gid));
        Assert.Equal((7u, 8u), (Stat(Path.Join(target, "link")).Uid, Stat(Path.Join(target, "link")).Gid));   // lchown, not the target
    }

    [RootFact]
    public async Task Extract_DevicesAndFifos()
    {
        var target = Path.Join(_dir, "t");
        await LayerTarReader.ExtractAsync(Tar(
            new PaxTarEntry(TarEntryType.CharacterDevice, "dev/null") { DeviceMajor = 1, DeviceMinor = 3, Mode = (UnixFileMode)0x1B6 },
            new PaxTarEntry(TarEntryType.BlockDevice, "dev/loopx") { DeviceMajor = 7, DeviceMinor = 200, Mode = (UnixFileMode)0x180 },
            new PaxTarEntry(TarEntryType.Fifo, "fifo") { Mode = (UnixFileMode)0x1A4 }), target, CancellationToken.None);
        var n = Stat(Path.Join(target, "dev/null"));
        Assert.Equal((0x21B6u, 1u, 3u), (n.Mode, n.RdevMajor, n.RdevMinor));
        var b = Stat(Path.Join(target, "dev/loopx"));
        Assert.Equal((0x6180u, 7u, 200u), (b.Mode, b.RdevMajor, b.RdevMinor));
        Assert.Equal(0x11A4u, Stat(Path.Join(target, "fifo")).Mode);
    }

    [RootFact]
    public async Task Extract_WhiteoutsAndOpaqueDirs_BecomeOverlayForm()
    {
        var target = Path.Join(_dir, "t");
        await LayerTarReader.ExtractAsync(Tar(new PaxTarEntry(TarEntryType.Directory, "etc/"), File("etc/.wh.gone", ""),
            new PaxTarEntry(TarEntryType.Directory, "opaque/"), File("opaque/.wh..wh..opq", ""), File("opaque/kept", "k"),
            File(".wh..wh.plnk", "")), target, CancellationToken.None);

        var w = Stat(Path.Join(target, "etc/gone"));
        Assert.Equal((0x2000u, 0u, 0u), (w.Mode & 0xF000, w.RdevMajor, w.RdevMinor));
        Assert.False(System.IO.File.Exists(Path.Join(target, "etc/.wh.gone")));
        Assert.Equal("y"u8.ToArray(), GetXattr(Path.Join(target, "opaque"), "trusted.overlay.opaque"));
        Assert.False(System.IO.File.Exists(Path.Join(target, "opaque/.wh..wh..opq")));
        Assert.False(System.IO.File.Exists(Path.Join(target, ".wh..wh.plnk")));
    }

    [RootFact]
    public async Task RoundTrip_UpperDir_WhiteoutsAndCapabilities()
    {
        var src = Path.Join(_dir, "src");
        await LayerTarReader.ExtractAsync(Tar(File(".wh.deleted", ""), new PaxTarEntry(TarEntryType.Directory, "op/"), File("op/.wh..wh..opq", ""),
            File("ping", "bin", 0x1ED, 0, 0)), src, CancellationToken.None);
        // A real file capability (cap_net_raw+ep): binary, not UTF-8.
        byte[] cap = [0x01, 0x00, 0x00, 0x02, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];
        Assert.Equal(0, Lsetxattr(Path.Join(src, "ping"), "security.capability", cap, (nuint)cap.Length, 0));

        var tar = new MemoryStream();
        await RootfsTarWriter.WriteAsync(src, tar, CancellationToken.None);
        tar.Position = 0;
        var names = new List<string>();
        using (var reader = new TarReader(tar, leaveOpen: true))
            while (reader.GetNextEntry() is { } e) names.Add(e.Name);
        Assert.Contains(".wh.deleted", names);
        Assert.Contains("op/.wh..wh..opq", names);

        tar.Position = 0;
        var dst = Path.Join(_dir, "dst");
        await LayerTarReader.ExtractAsync(tar, dst, CancellationToken.None);
        Assert.Equal(cap, GetXattr(Path.Join(dst, "ping"), "security.capability"));
        Assert.Equal(0x2000u, Stat(Path.Join(dst, "deleted")).Mode & 0xF000);
        Assert.Equal("y"u8.ToArray(), GetXattr(Path.Join(dst, "op"), "trusted.overlay.opaque"));
    }

    [RootFact]
    public async Task Overlay_LayersPlusContainerUpper_Mounts()
    {
        var root = new DataRoot(Path.Join(_dir, "root"));
        var layers = new LayerStore(root);
        var l1 = await layers.ApplyLayerAsync(null, Tar(File("a", "from-1"), File("gone", "x"), File("dir/old", "o")), CancellationToken.None);
        var l2 = await layers.ApplyLayerAsync(l1.ChainId, Tar(File("b", "from-2"), File(".wh.gone", ""),
            new PaxTarEntry(TarEntryType.Directory, "dir/"), File("dir/.wh..wh..opq", ""), File("dir/new", "n")), CancellationToken.None);
        var id = "overlaytest" + Guid.NewGuid().ToString("N")[..8];
        var c = layers.PrepareContainerLayer(id, l2.ChainId);
        var options = $"lowerdir={string.Join(':', c.LowerDirs)},upperdir={c.UpperDir},workdir={c.WorkDir}";
        await RunAsync("mount", "-t", "overlay", "overlay", "-o", options, c.RootfsDir);
        try
        {
            Assert.Equal("from-1", System.IO.File.ReadAllText(Path.Join(c.RootfsDir, "a")));
            Assert.Equal("from-2", System.IO.File.ReadAllText(Path.Join(c.RootfsDir, "b")));
            Assert.False(System.IO.File.Exists(Path.Join(c.RootfsDir, "gone")));
            Assert.Equal(["new"], Directory.EnumerateFileSystemEntries(Path.Join(c.RootfsDir, "dir")).Select(Path.GetFileName));
            System.IO.File.WriteAllText(Path.Join(c.RootfsDir, "written"), "upper");
            Assert.Throws<Berth.Core.Errors.ConflictException>(() => layers.RemoveContainerLayer(id));
        }
        finally
        {
            Assert.Equal(0, Umount2(c.RootfsDir, 0));
        }
        Assert.Equal("upper", System.IO.File.ReadAllText(Path.Join(c.UpperDir, "written")));
        Assert.False(System.IO.File.Exists(Path.Join(c.LowerDirs[0], "written")));
        layers.RemoveContainerLayer(id);
        Assert.False(Directory.Exists(root.ContainerDir(id)));
    }

    private static async Task RunAsync(string exe, params string[] args)
    {
        var psi = new ProcessStartInfo(exe, args) { RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var err = await p.StandardError.ReadToEndAsync(cts.Token);
        await p.WaitForExitAsync(cts.Token);
        Assert.True(p.ExitCode == 0, $"{exe} failed: {err}");
    }
}

using System.Formats.Tar;
using System.IO.Compression;
using Berth.Core.Errors;
using Berth.Storage;
using Berth.Tests.Storage;
using FsCheck;
using FsCheck.Fluent;

namespace Berth.Tests.Fuzz;

/// <summary>
/// The layer extractor on hostile archives: entries that climb out (<c>..</c>, absolute names, symlink escapes, hard links
/// to files outside, device nodes, whiteouts), then the bytes cut, flipped or gzipped and corrupted. Each case ends with a
/// clean error (an <see cref="EngineException"/>, <see cref="InvalidDataException"/> or <see cref="IOException"/>) or a
/// tree, and nothing outside the target changes: canaries next to it and in /tmp keep their content and link count.
/// </summary>
public sealed class LayerTarFuzzTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _marker = "berth-fuzz-" + Guid.NewGuid().ToString("N")[..10];
    private readonly string _hostCanary;
    private int _case;

    public LayerTarFuzzTests()
    {
        // A file outside any target, named by absolute hard-link targets: linking to it must never happen.
        _hostCanary = Path.Join(Path.GetTempPath(), _marker + "-canary");
        File.WriteAllText(_hostCanary, "host");
    }

    public void Dispose()
    {
        _dir.Dispose();
        File.Delete(_hostCanary);
        if (Directory.Exists("/tmp/" + _marker)) Directory.Delete("/tmp/" + _marker, recursive: true);
    }

    private Gen<string> Name() => Gen.Elements(
        "a", "a/b", "a/b/c", "d/", "./x", "link/x", "link/y/z", "dirlink/evil", "abs/evil", ".wh.a", "a/.wh..wh..opq", ".wh..wh..opq",
        ".", "..", "../evil", "../../outside/new", "a/../../evil", "/" + "tmp/" + _marker + "/evil", "/etc/../../evil",
        "a//b", new string('n', 300), "dev", "h", "h2", "a/b/../../../../evil");

    private Gen<string> LinkTarget() => Gen.Elements(
        _hostCanary, "..", "../..", "../../..", "/", "/tmp/" + _marker, "../outside", "../../outside/canary", "../outside/canary", "a", "a/b", "link",
        "/proc/self/root", new string('l', 300));

    private Gen<PaxTarEntry> Entry() =>
        from name in Name()
        from kind in Gen.Choose(0, 7)
        from target in LinkTarget()
        from mode in Gen.Elements(0b111_101_101, 0b110_100_100, 0, 0b111_111_111_111)
        from size in Gen.Choose(0, 3000)
        select Make(kind, name, target, mode, size);

    private static PaxTarEntry Make(int kind, string name, string target, int mode, int size)
    {
        PaxTarEntry e = kind switch
        {
            0 => new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(new byte[size]) },
            1 => new PaxTarEntry(TarEntryType.Directory, name),
            2 => new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target },
            3 => new PaxTarEntry(TarEntryType.HardLink, name) { LinkName = target },
            4 => new PaxTarEntry(TarEntryType.CharacterDevice, name) { DeviceMajor = 1, DeviceMinor = 3 },
            5 => new PaxTarEntry(TarEntryType.BlockDevice, name) { DeviceMajor = 7, DeviceMinor = 0 },
            6 => new PaxTarEntry(TarEntryType.Fifo, name),
            _ => new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream("payload"u8.ToArray()) },
        };
        e.Mode = (UnixFileMode)mode;
        return e;
    }

    private static byte[] Archive(PaxTarEntry[] entries)
    {
        var ms = new MemoryStream();
        using (var w = new TarWriter(ms, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var e in entries)
            {
                try
                {
                    w.WriteEntry(e);
                }
                catch (ArgumentException)
                {
                    // The writer refuses some names (empty); the rest of the archive still goes out.
                }
            }
        }
        return ms.ToArray();
    }

    private static byte[] Gzip(byte[] data)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(data);
        return ms.ToArray();
    }

    private static byte[] Corrupt(byte[] data, int how, int[] r)
    {
        if (data.Length == 0) return data;
        var copy = (byte[])data.Clone();
        switch (how)
        {
            case 0: return copy;
            case 1: return copy[..(r[0] % copy.Length)];                                      // truncated
            case 2:
                foreach (var x in r) copy[x % copy.Length] ^= (byte)(1 + x % 255);           // flipped bytes
                return copy;
            case 3:
                foreach (var x in r) copy[x % Math.Min(copy.Length, 512)] = (byte)"0123456789 \0x7"[x % 14];   // a header's digits
                return copy;
            default: return [.. copy[..(r[0] % copy.Length)], .. r.Select(x => (byte)x), .. copy[(r[0] % copy.Length)..]];
        }
    }

    private Gen<byte[]> Input() =>
        from n in Gen.Choose(1, 8)
        from entries in Gen.ArrayOf(Entry(), n)
        from gzip in Gen.Elements(false, true)
        from how in Gen.Choose(0, 4)
        from r in Gen.ArrayOf(Gen.Choose(0, int.MaxValue), 6)
        from garbage in Gen.Frequency((9, Gen.Constant(false)), (1, Gen.Constant(true)))
        select garbage ? r.SelectMany(BitConverter.GetBytes).ToArray()
            : gzip ? Corrupt(Gzip(Archive(entries)), how, r) : Corrupt(Archive(entries), how, r);

    [Fact]
    public void Extract_HostileArchives_CleanErrorOrSafeTree() =>
        FuzzSettings.CheckWithin(TimeSpan.FromSeconds(120), () =>
            Check.One(FuzzSettings.Config(1500), Prop.ForAll(Arb.From(Input()), ExtractsSafely)));

    private bool ExtractsSafely(byte[] archive)
    {
        var box = _dir.Sub("c" + Interlocked.Increment(ref _case));
        var outside = Path.Join(box, "outside");
        var target = Path.Join(box, "t", "target");
        Directory.CreateDirectory(outside);
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Join(outside, "canary"), "canary");
        try
        {
            try
            {
                LayerTarReader.ExtractAsync(new MemoryStream(archive), target, CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is EngineException or InvalidDataException or IOException)
            {
                // A clean refusal; the checks below still run on whatever was written before it.
            }
            var outsideNow = Directory.GetFileSystemEntries(box, "*", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal).ToArray();
            return File.ReadAllText(Path.Join(outside, "canary")) == "canary"
                   && LinkCount.Of(Path.Join(outside, "canary")) is null or 1
                   && LinkCount.Of(_hostCanary) is null or 1 && File.ReadAllText(_hostCanary) == "host"
                   && Directory.GetFileSystemEntries(outside).Length == 1
                   && outsideNow.SequenceEqual([outside, Path.Join(box, "t")])
                   && Directory.GetFileSystemEntries(Path.Join(box, "t")).SequenceEqual([target])
                   && !Path.Exists("/tmp/" + _marker)
                   && !Path.Exists(Path.Join(Path.GetTempPath(), "evil"));
        }
        finally
        {
            Remove(box);
        }
    }

    private static void Remove(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (UnauthorizedAccessException)
        {
            // Modes of 000 in the archive: open them up and try again.
            foreach (var d in Directory.GetDirectories(dir, "*", SearchOption.AllDirectories)) File.SetUnixFileMode(d, (UnixFileMode)0b111_000_000);
            Directory.Delete(dir, recursive: true);
        }
    }
}

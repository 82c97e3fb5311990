using System.Formats.Tar;

namespace Berth.Tests.Storage;

/// <summary>Builds test archives with System.Formats.Tar (an independent writer, so the reader is not only checked against our own).</summary>
internal static class TarBuilder
{
    public static MemoryStream Build(params TarEntry[] entries)
    {
        var ms = new MemoryStream();
        using (var w = new TarWriter(ms, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var e in entries) w.WriteEntry(e);
        }
        ms.Position = 0;
        return ms;
    }

    public static PaxTarEntry File(string name, string content, UnixFileMode mode = (UnixFileMode)0x1A4 /* 0644 */) =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)), Mode = mode };

    public static PaxTarEntry Dir(string name, UnixFileMode mode = (UnixFileMode)0x1ED /* 0755 */) => new(TarEntryType.Directory, name) { Mode = mode };

    public static PaxTarEntry Symlink(string name, string target) => new(TarEntryType.SymbolicLink, name) { LinkName = target };

    public static PaxTarEntry HardLink(string name, string target) => new(TarEntryType.HardLink, name) { LinkName = target };
}

using System.Formats.Tar;

namespace Berth.Integration.Tests.Support;

/// <summary>Reading single files out of a tar on disk (an image archive from `save`, a layer inside it).</summary>
public static class TarArchive
{
    /// <summary>The bytes of the entry named <paramref name="name"/> (a leading "./" or "/" in the archive is ignored).</summary>
    public static byte[] ReadEntry(string archive, string name)
    {
        using var file = File.OpenRead(archive);
        using var reader = new TarReader(file);
        while (reader.GetNextEntry() is { } e)
        {
            if (e.Name.TrimStart('.', '/') != name || e.DataStream is null) continue;
            var ms = new MemoryStream();
            e.DataStream.CopyTo(ms);
            return ms.ToArray();
        }
        throw new FileNotFoundException(name + " not in " + archive);
    }
}

using Berth.Core.Errors;

namespace Berth.Storage.Archive;

/// <summary>Lexical cleaning of tar member names: absolute names are taken relative to the root, a <c>..</c> that climbs out is refused.</summary>
internal static class ArchivePath
{
    public static string[] Clean(string name)
    {
        var parts = new List<string>();
        foreach (var part in name.Split('/'))
        {
            if (part.Length == 0 || part == ".") continue;
            if (part == "..")
            {
                // Docker refuses these as a "breakout" rather than clamping them.
                if (parts.Count == 0) throw new InvalidArgumentException($"invalid tar entry {name}: path escapes the target directory");
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return [.. parts];
    }
}

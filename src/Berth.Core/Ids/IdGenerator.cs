using System.Security.Cryptography;

namespace Berth.Core.Ids;

/// <summary>Random 64-hex identifiers, as Docker gives containers, execs and networks.</summary>
public static class IdGenerator
{
    public static string NewId()
    {
        Span<byte> bytes = stackalloc byte[32];
        while (true)
        {
            RandomNumberGenerator.Fill(bytes);
            var id = Convert.ToHexStringLower(bytes);
            // Docker avoids ids that look like numbers in their short form (they would parse as ints).
            if (!id.AsSpan(0, 12).ContainsAnyExcept("0123456789")) continue;
            return id;
        }
    }

    public static bool IsFullId(string s) => s.Length == 64 && !s.AsSpan().ContainsAnyExcept("0123456789abcdef");

    public static string Short(string id) => id.Length > 12 ? id[..12] : id;
}

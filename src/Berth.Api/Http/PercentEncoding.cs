using System.Buffers;
using System.Text;

namespace Berth.Api.Http;

internal static class PercentEncoding
{
    /// <summary>
    /// Decodes %XX escapes (and '+' as space for query components, as Go's url.ParseQuery does). Invalid escapes are
    /// kept literally rather than failing the request.
    /// </summary>
    public static string Decode(ReadOnlySpan<char> s, bool plusAsSpace)
    {
        var special = plusAsSpace ? s.IndexOfAny('%', '+') : s.IndexOf('%');
        if (special < 0) return new string(s);

        var max = Encoding.UTF8.GetMaxByteCount(s.Length);
        byte[]? rented = null;
        var bytes = max <= 512 ? stackalloc byte[max] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var n = 0;
            for (var i = 0; i < s.Length; i++)
            {
                var c = s[i];
                if (c == '+' && plusAsSpace)
                {
                    bytes[n++] = (byte)' ';
                }
                else if (c == '%' && i + 2 < s.Length && IsHex(s[i + 1]) && IsHex(s[i + 2]))
                {
                    bytes[n++] = (byte)((HexValue(s[i + 1]) << 4) | HexValue(s[i + 2]));
                    i += 2;
                }
                else if (c < 0x80)
                {
                    bytes[n++] = (byte)c;
                }
                else
                {
                    n += Encoding.UTF8.GetBytes(s.Slice(i, char.IsHighSurrogate(c) && i + 1 < s.Length ? 2 : 1), bytes[n..]);
                    if (char.IsHighSurrogate(c) && i + 1 < s.Length) i++;
                }
            }
            return Encoding.UTF8.GetString(bytes[..n]);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

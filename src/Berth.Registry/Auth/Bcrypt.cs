using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Berth.Registry.Auth;

/// <summary>
/// Verifies bcrypt hashes (<c>$2a$</c>, <c>$2b$</c>, <c>$2y$</c>: what <c>htpasswd -B</c> writes): EksBlowfish setup with the salt and
/// the password (NUL-terminated, at most 72 bytes), 2^cost rounds, then "OrpheanBeholderScryDoubt" enciphered 64 times.
/// </summary>
internal static class Bcrypt
{
    private const string Alphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static readonly byte[] MagicText = "OrpheanBeholderScryDoubt"u8.ToArray();

    public static bool Verify(string password, string hash)
    {
        if (hash.Length != 60 || hash[0] != '$' || hash[1] != '2' || hash[3] != '$' || hash[6] != '$' || hash[2] is not ('a' or 'b' or 'y')) return false;
        if (!int.TryParse(hash.AsSpan(4, 2), out var cost) || cost is < 4 or > 31) return false;
        var salt = Decode(hash.AsSpan(7, 22), 16);
        if (salt is null) return false;
        var computed = HashRaw(Encoding.UTF8.GetBytes(password), salt, cost);
        var expected = Encoding.ASCII.GetBytes(hash[..29] + Encode(computed, 23));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(hash));
    }

    /// <summary>Makes a <c>$2y$</c> hash (tests, and an htpasswd file written by <c>berth registry</c>).</summary>
    public static string Hash(string password, int cost = 10)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        return $"$2y${cost:D2}${Encode(salt, 16)}{Encode(HashRaw(Encoding.UTF8.GetBytes(password), salt, cost), 23)}";
    }

    private static byte[] HashRaw(byte[] password, byte[] salt, int cost)
    {
        var key = new byte[Math.Min(password.Length + 1, 72)];
        password.AsSpan(0, Math.Min(password.Length, 72)).CopyTo(key);
        var p = (uint[])BlowfishTables.P.Clone();
        var s = (uint[])BlowfishTables.S.Clone();
        ExpandKey(p, s, salt, key);
        var rounds = 1L << cost;
        for (long r = 0; r < rounds; r++)
        {
            ExpandKey(p, s, null, key);
            ExpandKey(p, s, null, salt);
        }
        var c = new uint[6];
        for (var i = 0; i < 6; i++) c[i] = BinaryPrimitives.ReadUInt32BigEndian(MagicText.AsSpan(i * 4));
        for (var i = 0; i < 64; i++)
            for (var j = 0; j < 6; j += 2) Encipher(p, s, ref c[j], ref c[j + 1]);
        var output = new byte[24];
        for (var i = 0; i < 6; i++) BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(i * 4), c[i]);
        return output[..23];
    }

    private static void ExpandKey(uint[] p, uint[] s, byte[]? salt, byte[] key)
    {
        var k = 0;
        for (var i = 0; i < 18; i++) p[i] ^= StreamWord(key, ref k);
        uint l = 0, r = 0;
        var j = 0;
        for (var i = 0; i < 18; i += 2)
        {
            if (salt is not null) { l ^= StreamWord(salt, ref j); r ^= StreamWord(salt, ref j); }
            Encipher(p, s, ref l, ref r);
            p[i] = l;
            p[i + 1] = r;
        }
        for (var i = 0; i < 1024; i += 2)
        {
            if (salt is not null) { l ^= StreamWord(salt, ref j); r ^= StreamWord(salt, ref j); }
            Encipher(p, s, ref l, ref r);
            s[i] = l;
            s[i + 1] = r;
        }
    }

    private static uint StreamWord(byte[] data, ref int offset)
    {
        uint w = 0;
        for (var i = 0; i < 4; i++)
        {
            w = (w << 8) | data[offset];
            offset = (offset + 1) % data.Length;
        }
        return w;
    }

    private static void Encipher(uint[] p, uint[] s, ref uint l, ref uint r)
    {
        var xl = l;
        var xr = r;
        xl ^= p[0];
        for (var i = 1; i <= 16; i += 2)
        {
            xr ^= F(s, xl) ^ p[i];
            xl ^= F(s, xr) ^ p[i + 1];
        }
        l = xr ^ p[17];
        r = xl;
    }

    private static uint F(uint[] s, uint x) =>
        ((s[x >> 24] + s[256 + ((x >> 16) & 0xff)]) ^ s[512 + ((x >> 8) & 0xff)]) + s[768 + (x & 0xff)];

    internal static string Encode(ReadOnlySpan<byte> data, int length)
    {
        var sb = new StringBuilder();
        var i = 0;
        while (i < length)
        {
            var c1 = data[i++];
            sb.Append(Alphabet[c1 >> 2]);
            c1 = (byte)((c1 & 0x03) << 4);
            if (i >= length) { sb.Append(Alphabet[c1]); break; }
            var c2 = data[i++];
            c1 |= (byte)(c2 >> 4);
            sb.Append(Alphabet[c1]);
            c1 = (byte)((c2 & 0x0f) << 2);
            if (i >= length) { sb.Append(Alphabet[c1]); break; }
            c2 = data[i++];
            c1 |= (byte)(c2 >> 6);
            sb.Append(Alphabet[c1]);
            sb.Append(Alphabet[c2 & 0x3f]);
        }
        return sb.ToString();
    }

    internal static byte[]? Decode(ReadOnlySpan<char> text, int length)
    {
        var result = new byte[length];
        var n = 0;
        var i = 0;
        while (n < length && i < text.Length - 1)
        {
            int c1 = Alphabet.IndexOf(text[i++]), c2 = Alphabet.IndexOf(text[i++]);
            if (c1 < 0 || c2 < 0) return null;
            result[n++] = (byte)((c1 << 2) | ((c2 & 0x30) >> 4));
            if (n >= length || i >= text.Length) break;
            var c3 = Alphabet.IndexOf(text[i++]);
            if (c3 < 0) return null;
            result[n++] = (byte)(((c2 & 0x0f) << 4) | ((c3 & 0x3c) >> 2));
            if (n >= length || i >= text.Length) break;
            var c4 = Alphabet.IndexOf(text[i++]);
            if (c4 < 0) return null;
            result[n++] = (byte)(((c3 & 0x03) << 6) | c4);
        }
        return n == length ? result : null;
    }
}

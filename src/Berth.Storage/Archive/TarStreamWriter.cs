using System.Globalization;
using System.Text;

namespace Berth.Storage.Archive;

/// <summary>
/// Writes ustar entries, preceded by a PAX header when a field does not fit or xattrs are present. Xattr values are written as raw
/// bytes (System.Formats.Tar only takes strings). Output is byte-for-byte deterministic for the same headers and data.
/// </summary>
internal sealed class TarStreamWriter(Stream output)
{
    private const int Block = 512;
    private const long MaxOctal7 = 0x1FFFFF;        // 7 octal digits
    private const long MaxOctal11 = 0x1FFFFFFFF;    // 11 octal digits
    private readonly byte[] _header = new byte[Block];

    public async Task WriteEntryAsync(TarHeader h, Stream? data, CancellationToken ct)
    {
        var pax = new List<(string Key, byte[] Value)>();
        var nameBytes = Encoding.UTF8.GetBytes(h.Name);
        var (prefix, name) = SplitName(nameBytes);
        if (name is null || !IsAscii(nameBytes)) pax.Add(("path", nameBytes));
        var linkBytes = Encoding.UTF8.GetBytes(h.LinkName);
        if (linkBytes.Length > 100 || !IsAscii(linkBytes)) pax.Add(("linkpath", linkBytes));
        if (h.Size > MaxOctal11) pax.Add(("size", Ascii(h.Size)));
        if (h.Uid > MaxOctal7) pax.Add(("uid", Ascii(h.Uid)));
        if (h.Gid > MaxOctal7) pax.Add(("gid", Ascii(h.Gid)));
        if (h.MtimeSeconds is < 0 or > MaxOctal11) pax.Add(("mtime", Ascii(h.MtimeSeconds)));
        foreach (var (k, v) in h.Xattrs) pax.Add(("SCHILY.xattr." + k, v));

        if (pax.Count > 0)
        {
            var body = PaxBody(pax);
            var paxName = "PaxHeaders.0/" + Path.GetFileName(h.Name.TrimEnd('/'));
            var paxNameBytes = Encoding.UTF8.GetBytes(paxName);
            if (paxNameBytes.Length > 100 || !IsAscii(paxNameBytes)) paxNameBytes = "PaxHeaders.0/entry"u8.ToArray();
            FillHeader(paxNameBytes, [], [], 'x', 0b110_100_100, 0, 0, body.Length, Math.Clamp(h.MtimeSeconds, 0, MaxOctal11), 0, 0, null, null);
            await output.WriteAsync(_header, ct);
            await output.WriteAsync(body, ct);
            await PadAsync(body.Length, ct);
        }

        FillHeader(name ?? nameBytes[..Math.Min(100, nameBytes.Length)], prefix ?? [], linkBytes.Length > 100 ? linkBytes[..100] : linkBytes,
            h.Type, h.Mode & 0xFFF, Math.Min(h.Uid, MaxOctal7), Math.Min(h.Gid, MaxOctal7), Math.Min(h.Size, MaxOctal11),
            Math.Clamp(h.MtimeSeconds, 0, MaxOctal11), h.DevMajor, h.DevMinor, h.Uname, h.Gname);
        await output.WriteAsync(_header, ct);
        if (h.Size > 0)
        {
            if (data is null) throw new InvalidOperationException($"tar entry {h.Name} has size {h.Size} but no data");
            var copied = await CopyExactlyAsync(data, h.Size, ct);
            if (copied != h.Size) throw new IOException($"{h.Name} changed size while being archived");
            await PadAsync(h.Size, ct);
        }
    }

    /// <summary>Two zero blocks end the archive.</summary>
    public async Task FinishAsync(CancellationToken ct)
    {
        await output.WriteAsync(new byte[Block * 2], ct);
        await output.FlushAsync(ct);
    }

    private async Task<long> CopyExactlyAsync(Stream data, long size, CancellationToken ct)
    {
        var buf = new byte[(int)Math.Min(size, 128 * 1024)];
        long total = 0;
        while (total < size)
        {
            var n = await data.ReadAsync(buf.AsMemory(0, (int)Math.Min(buf.Length, size - total)), ct);
            if (n == 0) break;
            await output.WriteAsync(buf.AsMemory(0, n), ct);
            total += n;
        }
        return total;
    }

    private async Task PadAsync(long size, CancellationToken ct)
    {
        var pad = (int)((Block - (size % Block)) % Block);
        if (pad > 0) await output.WriteAsync(new byte[pad], ct);
    }

    private void FillHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> link, char type, uint mode, long uid, long gid,
        long size, long mtime, uint devMajor, uint devMinor, string? uname, string? gname)
    {
        var b = _header.AsSpan();
        b.Clear();
        name.CopyTo(b[..100]);
        Octal(b.Slice(100, 8), mode);
        Octal(b.Slice(108, 8), uid);
        Octal(b.Slice(116, 8), gid);
        Octal(b.Slice(124, 12), size);
        Octal(b.Slice(136, 12), mtime);
        b[156] = (byte)type;
        link.CopyTo(b.Slice(157, 100));
        "ustar\u000000"u8.CopyTo(b.Slice(257, 8));
        CopyAsciiField(uname, b.Slice(265, 32));
        CopyAsciiField(gname, b.Slice(297, 32));
        if (type is TarHeader.CharDevice or TarHeader.BlockDevice)
        {
            Octal(b.Slice(329, 8), devMajor);
            Octal(b.Slice(337, 8), devMinor);
        }
        prefix.CopyTo(b.Slice(345, 155));
        b.Slice(148, 8).Fill((byte)' ');
        long sum = 0;
        foreach (var c in b) sum += c;
        Octal(b.Slice(148, 7), sum);
    }

    private static void CopyAsciiField(string? s, Span<byte> field)
    {
        if (s is null) return;
        var bytes = Encoding.UTF8.GetBytes(s);
        if (bytes.Length < field.Length && IsAscii(bytes)) bytes.CopyTo(field);
    }

    // Zero-padded octal with a terminating NUL, like Go's archive/tar.
    private static void Octal(Span<byte> field, long value)
    {
        var s = Convert.ToString(value, 8).PadLeft(field.Length - 1, '0');
        Encoding.ASCII.GetBytes(s, field);
        field[^1] = 0;
    }

    private static (byte[]? Prefix, byte[]? Name) SplitName(byte[] full)
    {
        if (full.Length <= 100) return (null, full);
        // Split at a '/' so the prefix fits in 155 bytes and the rest in 100.
        for (var i = Math.Min(full.Length - 1, 155); i > 0; i--)
        {
            if (full[i] != '/') continue;
            if (full.Length - i - 1 > 100) break;
            if (full.Length - i - 1 == 0) continue;
            return (full[..i], full[(i + 1)..]);
        }
        return (null, null);
    }

    private static byte[] PaxBody(List<(string Key, byte[] Value)> records)
    {
        var ms = new MemoryStream();
        foreach (var (key, value) in records)
        {
            var keyBytes = Encoding.UTF8.GetBytes(key);
            var payload = keyBytes.Length + value.Length + 3;     // ' ' + '=' + '\n'
            var len = payload + 1;
            while (len.ToString(CultureInfo.InvariantCulture).Length + payload != len) len = len.ToString(CultureInfo.InvariantCulture).Length + payload;
            ms.Write(Encoding.ASCII.GetBytes(len.ToString(CultureInfo.InvariantCulture)));
            ms.WriteByte((byte)' ');
            ms.Write(keyBytes);
            ms.WriteByte((byte)'=');
            ms.Write(value);
            ms.WriteByte((byte)'\n');
        }
        return ms.ToArray();
    }

    private static byte[] Ascii(long v) => Encoding.ASCII.GetBytes(v.ToString(CultureInfo.InvariantCulture));

    private static bool IsAscii(ReadOnlySpan<byte> b) => System.Text.Ascii.IsValid(b);
}

using System.Buffers;
using System.Globalization;
using System.Text;
using Berth.Core.Errors;

namespace Berth.Storage.Archive;

/// <summary>
/// A forward-only tar parser (ustar, GNU long names, PAX) that keeps PAX values as bytes, so SCHILY.xattr values such as file
/// capabilities survive. After <see cref="NextAsync"/> returns an entry, <see cref="Data"/> reads its content until the next call.
/// </summary>
internal sealed class TarStreamReader(Stream input)
{
    private const int Block = 512;
    private const int MaxMetaSize = 1 << 20;
    private readonly byte[] _block = new byte[Block];
    private long _remaining;
    private int _padding;
    private bool _done;

    public Stream Data { get; private set; } = Stream.Null;

    public async Task<TarHeader?> NextAsync(CancellationToken ct)
    {
        if (_done) return null;
        await SkipAsync(_remaining + _padding, ct);
        _remaining = 0;
        _padding = 0;

        Dictionary<string, byte[]>? pax = null;
        string? longName = null, longLink = null;
        while (true)
        {
            var n = await input.ReadAtLeastAsync(_block, Block, throwOnEndOfStream: false, ct);
            if (n == 0 || (n == Block && _block.AsSpan().IndexOfAnyExcept((byte)0) < 0))
            {
                // End of archive: an all-zero block (the second one is optional in practice) or a clean EOF.
                _done = true;
                return null;
            }
            if (n < Block) throw Invalid("unexpected end of archive");
            VerifyChecksum();

            var type = (char)_block[156];
            var size = ParseNumber(_block.AsSpan(124, 12));
            if (size < 0) throw Invalid("negative entry size");
            switch (type)
            {
                case 'x':
                    pax ??= [];
                    ParsePax(await ReadMetaAsync(size, ct), pax);
                    continue;
                case 'g':
                    // Global headers (git archive's comment) carry nothing we apply.
                    await ReadMetaAsync(size, ct);
                    continue;
                case 'L':
                    longName = CString(await ReadMetaAsync(size, ct));
                    continue;
                case 'K':
                    longLink = CString(await ReadMetaAsync(size, ct));
                    continue;
                case 'S':
                    throw Invalid("sparse tar entries are not supported");
            }

            var h = BuildHeader(type, size, longName, longLink);
            if (pax is not null) ApplyPax(h, pax);
            if (h.Type == TarHeader.Regular && h.Name.EndsWith('/')) h.Type = TarHeader.Directory;
            _remaining = h.Size;
            _padding = (int)((Block - (h.Size % Block)) % Block);
            Data = new EntryStream(this);
            return h;
        }
    }

    private TarHeader BuildHeader(char type, long size, string? longName, string? longLink)
    {
        var b = _block.AsSpan();
        var magic = b.Slice(257, 8);
        var name = CString(b[..100]);
        // POSIX ustar splits long names into prefix/name; GNU tar uses those bytes for atime/ctime.
        if (magic.SequenceEqual("ustar\u000000"u8))
        {
            var prefix = CString(b.Slice(345, 155));
            if (prefix.Length > 0) name = prefix + "/" + name;
        }

        return new TarHeader
        {
            Name = longName ?? name,
            LinkName = longLink ?? CString(b.Slice(157, 100)),
            Type = type == '\0' ? TarHeader.Regular : type,
            Mode = (uint)ParseNumber(b.Slice(100, 8)),
            Uid = ParseNumber(b.Slice(108, 8)),
            Gid = ParseNumber(b.Slice(116, 8)),
            Size = size,
            MtimeSeconds = ParseNumber(b.Slice(136, 12)),
            Uname = NullIfEmpty(CString(b.Slice(265, 32))),
            Gname = NullIfEmpty(CString(b.Slice(297, 32))),
            DevMajor = (uint)ParseNumber(b.Slice(329, 8)),
            DevMinor = (uint)ParseNumber(b.Slice(337, 8)),
        };
    }

    private static void ApplyPax(TarHeader h, Dictionary<string, byte[]> pax)
    {
        foreach (var (key, value) in pax)
        {
            switch (key)
            {
                case "path": h.Name = Encoding.UTF8.GetString(value); break;
                case "linkpath": h.LinkName = Encoding.UTF8.GetString(value); break;
                case "size": h.Size = PaxLong(key, value); break;
                case "uid": h.Uid = PaxLong(key, value); break;
                case "gid": h.Gid = PaxLong(key, value); break;
                case "uname": h.Uname = Encoding.UTF8.GetString(value); break;
                case "gname": h.Gname = Encoding.UTF8.GetString(value); break;
                case "SCHILY.devmajor": h.DevMajor = (uint)PaxLong(key, value); break;
                case "SCHILY.devminor": h.DevMinor = (uint)PaxLong(key, value); break;
                case "mtime": ParsePaxTime(h, value); break;
                default:
                    if (key.StartsWith("SCHILY.xattr.", StringComparison.Ordinal))
                        h.Xattrs[key["SCHILY.xattr.".Length..]] = value;
                    else if (key.StartsWith("LIBARCHIVE.xattr.", StringComparison.Ordinal))
                        h.Xattrs[Uri.UnescapeDataString(key["LIBARCHIVE.xattr.".Length..])] = DecodeBase64(value);
                    else if (key.StartsWith("GNU.sparse.", StringComparison.Ordinal))
                        throw Invalid("sparse tar entries are not supported");
                    break;
            }
        }
    }

    private static byte[] DecodeBase64(byte[] value)
    {
        // libarchive writes unpadded base64.
        var s = Encoding.ASCII.GetString(value).TrimEnd('=');
        s = s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
        try { return Convert.FromBase64String(s); }
        catch (FormatException e) { throw Invalid("bad LIBARCHIVE.xattr value", e); }
    }

    private static void ParsePaxTime(TarHeader h, byte[] value)
    {
        var s = Encoding.ASCII.GetString(value);
        var dot = s.IndexOf('.', StringComparison.Ordinal);
        var secPart = dot < 0 ? s : s[..dot];
        if (!long.TryParse(secPart, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var sec)) throw Invalid($"bad PAX mtime {s}");
        h.MtimeSeconds = sec;
        h.MtimeNanoseconds = 0;
        if (dot >= 0)
        {
            var frac = s[(dot + 1)..];
            frac = frac.Length > 9 ? frac[..9] : frac.PadRight(9, '0');
            if (!uint.TryParse(frac, NumberStyles.None, CultureInfo.InvariantCulture, out var ns)) throw Invalid($"bad PAX mtime {s}");
            // A negative time with a fraction means sec - frac; keep it simple and exact for the common positive case.
            if (sec >= 0 && !secPart.StartsWith('-')) h.MtimeNanoseconds = ns;
        }
    }

    private static long PaxLong(string key, byte[] value) =>
        long.TryParse(Encoding.ASCII.GetString(value), NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v : throw Invalid($"bad PAX {key}");

    // Records are "<len> <key>=<value>\n" where len counts the whole record in bytes.
    private static void ParsePax(byte[] data, Dictionary<string, byte[]> into)
    {
        var span = data.AsSpan();
        while (span.Length > 0)
        {
            if (span[0] == 0) break;
            var sp = span.IndexOf((byte)' ');
            if (sp <= 0 || !int.TryParse(span[..sp], NumberStyles.None, CultureInfo.InvariantCulture, out var len) || len <= sp + 1 || len > span.Length)
                throw Invalid("malformed PAX header");
            var record = span[(sp + 1)..len];
            if (record[^1] != '\n') throw Invalid("malformed PAX header");
            record = record[..^1];
            var eq = record.IndexOf((byte)'=');
            if (eq <= 0) throw Invalid("malformed PAX header");
            into[Encoding.UTF8.GetString(record[..eq])] = record[(eq + 1)..].ToArray();
            span = span[len..];
        }
    }

    private async Task<byte[]> ReadMetaAsync(long size, CancellationToken ct)
    {
        if (size > MaxMetaSize) throw Invalid($"tar metadata entry too large ({size} bytes)");
        var data = new byte[size];
        await input.ReadExactlyAsync(data, ct);
        await SkipAsync((Block - (size % Block)) % Block, ct);
        return data;
    }

    private async Task SkipAsync(long count, CancellationToken ct)
    {
        if (count <= 0) return;
        var buf = ArrayPool<byte>.Shared.Rent((int)Math.Min(count, 64 * 1024));
        try
        {
            while (count > 0)
            {
                var n = await input.ReadAsync(buf.AsMemory(0, (int)Math.Min(count, buf.Length)), ct);
                if (n == 0) throw Invalid("unexpected end of archive");
                count -= n;
            }
        }
        finally { ArrayPool<byte>.Shared.Return(buf); }
    }

    private void VerifyChecksum()
    {
        var stored = ParseNumber(_block.AsSpan(148, 8));
        long unsigned = 0, signed = 0;
        for (var i = 0; i < Block; i++)
        {
            var c = i is >= 148 and < 156 ? (byte)' ' : _block[i];
            unsigned += c;
            signed += (sbyte)c;
        }
        if (stored != unsigned && stored != signed) throw Invalid("bad tar header checksum");
    }

    internal static long ParseNumber(ReadOnlySpan<byte> field)
    {
        if (field.Length > 0 && (field[0] & 0x80) != 0)
        {
            // GNU base-256: big-endian two's complement with the marker bit cleared.
            if ((field[0] & 0x40) != 0) throw Invalid("negative number in tar header");
            long v = field[0] & 0x3f;
            foreach (var b in field[1..])
            {
                if (v > (long.MaxValue >> 8)) throw Invalid("number overflow in tar header");
                v = (v << 8) | b;
            }
            return v;
        }

        field = field.Trim((byte)' ').Trim((byte)0).Trim((byte)' ');
        var nul = field.IndexOf((byte)0);
        if (nul >= 0) field = field[..nul];
        long r = 0;
        foreach (var b in field)
        {
            if (b is < (byte)'0' or > (byte)'7') throw Invalid("bad octal number in tar header");
            if (r > (long.MaxValue >> 3)) throw Invalid("number overflow in tar header");
            r = (r << 3) | (long)(b - '0');
        }
        return r;
    }

    private static string CString(ReadOnlySpan<byte> b)
    {
        var nul = b.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul < 0 ? b : b[..nul]);
    }

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;

    private static InvalidArgumentException Invalid(string message, Exception? inner = null) => new($"invalid tar archive: {message}", inner);

    private sealed class EntryStream(TarStreamReader owner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (owner._remaining == 0 || buffer.Length == 0) return 0;
            var n = owner.Input.Read(buffer[..(int)Math.Min(buffer.Length, owner._remaining)]);
            if (n == 0) throw Invalid("unexpected end of archive");
            owner._remaining -= n;
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (owner._remaining == 0 || buffer.Length == 0) return 0;
            var n = await owner.Input.ReadAsync(buffer[..(int)Math.Min(buffer.Length, owner._remaining)], cancellationToken);
            if (n == 0) throw Invalid("unexpected end of archive");
            owner._remaining -= n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    private Stream Input => input;
}

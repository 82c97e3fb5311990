using System.Buffers.Binary;
using System.Text;

namespace Berth.Network.Dns;

/// <summary>
/// The little of RFC 1035 the embedded server needs: read a query's header and first question, and write an answer
/// with A (or PTR) records for it. Everything else is forwarded byte for byte.
/// </summary>
public static class DnsMessage
{
    public const ushort TypeA = 1;
    public const ushort TypePtr = 12;
    public const ushort TypeAaaa = 28;
    public const ushort ClassIn = 1;
    public const int RcodeNoError = 0;
    public const int RcodeFormErr = 1;
    public const int RcodeServFail = 2;
    public const int RcodeNxDomain = 3;
    public const int HeaderSize = 12;

    public static ushort Id(ReadOnlySpan<byte> msg) => BinaryPrimitives.ReadUInt16BigEndian(msg);

    public static bool IsQuery(ReadOnlySpan<byte> msg) => msg.Length >= HeaderSize && (msg[2] & 0x80) == 0;

    /// <summary>Parses the first question, or null for a message that is not a well-formed query with one question.</summary>
    public static DnsQuestion? ReadQuestion(ReadOnlySpan<byte> msg, out int questionEnd)
    {
        questionEnd = 0;
        if (!IsQuery(msg) || BinaryPrimitives.ReadUInt16BigEndian(msg[4..]) != 1) return null;
        var name = new StringBuilder();
        var pos = HeaderSize;
        while (true)
        {
            if (pos >= msg.Length) return null;
            int len = msg[pos++];
            if (len == 0) break;
            if ((len & 0xC0) != 0 || pos + len > msg.Length || name.Length + len > 253) return null; // no compression in a question
            if (name.Length > 0) name.Append('.');
            foreach (var b in msg.Slice(pos, len)) name.Append(b is >= (byte)'A' and <= (byte)'Z' ? (char)(b + 32) : (char)b);
            pos += len;
        }
        if (pos + 4 > msg.Length) return null;
        var type = BinaryPrimitives.ReadUInt16BigEndian(msg[pos..]);
        var cls = BinaryPrimitives.ReadUInt16BigEndian(msg[(pos + 2)..]);
        questionEnd = pos + 4;
        return new DnsQuestion(name.ToString(), type, cls);
    }

    /// <summary>An answer to <paramref name="query"/> that echoes its question and carries the given A addresses (IPv4, 4 bytes each).</summary>
    public static byte[] Answer(ReadOnlySpan<byte> query, int questionEnd, int rcode, IReadOnlyList<uint> addresses, uint ttl = 600)
    {
        var size = questionEnd + addresses.Count * 16;
        var buf = new byte[size];
        query[..questionEnd].CopyTo(buf);
        WriteHeader(buf, query, rcode, addresses.Count);
        var pos = questionEnd;
        foreach (var a in addresses)
        {
            // Name: pointer to the question's name at offset 12.
            BinaryPrimitives.WriteUInt16BigEndian(buf.AsSpan(pos), 0xC00C);
            BinaryPrimitives.WriteUInt16BigEndian(buf.AsSpan(pos + 2), TypeA);
            BinaryPrimitives.WriteUInt16BigEndian(buf.AsSpan(pos + 4), ClassIn);
            BinaryPrimitives.WriteUInt32BigEndian(buf.AsSpan(pos + 6), ttl);
            BinaryPrimitives.WriteUInt16BigEndian(buf.AsSpan(pos + 10), 4);
            BinaryPrimitives.WriteUInt32BigEndian(buf.AsSpan(pos + 12), a);
            pos += 16;
        }
        return buf;
    }

    /// <summary>An answer with one PTR record naming <paramref name="target"/>.</summary>
    public static byte[] PtrAnswer(ReadOnlySpan<byte> query, int questionEnd, string target, uint ttl = 600)
    {
        var encoded = EncodeName(target);
        var buf = new byte[questionEnd + 12 + encoded.Length];
        query[..questionEnd].CopyTo(buf);
        WriteHeader(buf, query, RcodeNoError, 1);
        var pos = questionEnd;
        BinaryPrimitives.WriteUInt16BigEndian(buf.AsSpan(pos), 0xC00C);
        BinaryPrimitives.WriteUInt16BigEndian(buf.AsSpan(pos + 2), TypePtr);
        BinaryPrimitives.WriteUInt16BigEndian(buf.AsSpan(pos + 4), ClassIn);
        BinaryPrimitives.WriteUInt32BigEndian(buf.AsSpan(pos + 6), ttl);
        BinaryPrimitives.WriteUInt16BigEndian(buf.AsSpan(pos + 10), (ushort)encoded.Length);
        encoded.CopyTo(buf, pos + 12);
        return buf;
    }

    /// <summary>A header-only error answer (SERVFAIL, FORMERR) that keeps the query's id and question when there is one.</summary>
    public static byte[] Error(ReadOnlySpan<byte> query, int rcode)
    {
        if (query.Length < HeaderSize) return [];
        var end = ReadQuestion(query, out var qe) is null ? HeaderSize : qe;
        var buf = new byte[end];
        query[..end].CopyTo(buf);
        WriteHeader(buf, query, rcode, 0);
        if (end == HeaderSize) BinaryPrimitives.WriteUInt16BigEndian(buf.AsSpan(4), 0);
        return buf;
    }

    /// <summary>Builds a query, for tests and probes.</summary>
    public static byte[] Query(ushort id, string name, ushort type)
    {
        var encoded = EncodeName(name);
        var buf = new byte[HeaderSize + encoded.Length + 4];
        BinaryPrimitives.WriteUInt16BigEndian(buf, id);
        buf[2] = 0x01; // RD
        BinaryPrimitives.WriteUInt16BigEndian(buf.AsSpan(4), 1);
        encoded.CopyTo(buf, HeaderSize);
        BinaryPrimitives.WriteUInt16BigEndian(buf.AsSpan(HeaderSize + encoded.Length), type);
        BinaryPrimitives.WriteUInt16BigEndian(buf.AsSpan(HeaderSize + encoded.Length + 2), ClassIn);
        return buf;
    }

    public static int Rcode(ReadOnlySpan<byte> msg) => msg[3] & 0x0F;

    public static int AnswerCount(ReadOnlySpan<byte> msg) => BinaryPrimitives.ReadUInt16BigEndian(msg[6..]);

    private static void WriteHeader(Span<byte> buf, ReadOnlySpan<byte> query, int rcode, int answers)
    {
        buf[2] = (byte)(0x80 | (query[2] & 0x79)); // QR, keep opcode and RD; AA and TC clear
        buf[3] = (byte)(0x80 | (rcode & 0x0F));     // RA
        BinaryPrimitives.WriteUInt16BigEndian(buf[6..], (ushort)answers);
        BinaryPrimitives.WriteUInt16BigEndian(buf[8..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(buf[10..], 0);
    }

    private static byte[] EncodeName(string name)
    {
        var bytes = new List<byte>();
        foreach (var label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var l = Encoding.ASCII.GetBytes(label);
            if (l.Length > 63) throw new ArgumentException($"label too long in {name}", nameof(name));
            bytes.Add((byte)l.Length);
            bytes.AddRange(l);
        }
        bytes.Add(0);
        return [.. bytes];
    }
}

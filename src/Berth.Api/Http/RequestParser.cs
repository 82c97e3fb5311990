using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Berth.Api.Http;

/// <summary>
/// HTTP/1.x request-head parser over the connection buffer: incomplete input returns false and consumes nothing,
/// malformed input throws <see cref="HttpParseException"/> (the connection answers it and closes).
/// </summary>
internal static class RequestParser
{
    public const int MaxRequestLine = 8 * 1024;
    public const int MaxHead = 64 * 1024;

    // Interned so that common requests allocate no strings for header names.
    private static readonly string[] KnownHeaders =
    [
        "Host", "User-Agent", "Content-Type", "Content-Length", "Transfer-Encoding", "Connection", "Upgrade",
        "Accept", "Accept-Encoding", "X-Registry-Auth", "X-Registry-Config", "Expect", "Authorization",
    ];

    public static bool TryParse(ReadOnlySpan<byte> buf, [NotNullWhen(true)] out RequestHead? head, out int consumed)
    {
        head = null;
        consumed = 0;

        // RFC 9112 §2.2: ignore empty lines before the request line (some clients send a CRLF after a POST body).
        var pos = 0;
        while (pos < buf.Length && (buf[pos] == '\r' || buf[pos] == '\n')) pos++;
        if (pos == buf.Length)
        {
            consumed = pos;
            return false;
        }

        var lineEnd = buf[pos..].IndexOf((byte)'\n');
        if (lineEnd < 0)
        {
            if (buf.Length - pos > MaxRequestLine) throw new HttpParseException(414, "request line too long");
            return false;
        }
        if (lineEnd > MaxRequestLine) throw new HttpParseException(414, "request line too long");
        var requestLine = TrimCr(buf.Slice(pos, lineEnd));
        var headerStart = pos + lineEnd + 1;

        // Find the end of the header block before allocating anything.
        var scan = headerStart;
        while (true)
        {
            var lf = buf[scan..].IndexOf((byte)'\n');
            if (lf < 0)
            {
                if (buf.Length > MaxHead) throw new HttpParseException(431, "request header fields too large");
                return false;
            }
            var empty = lf == 0 || (lf == 1 && buf[scan] == '\r');
            scan += lf + 1;
            if (scan > MaxHead) throw new HttpParseException(431, "request header fields too large");
            if (empty) break;
        }

        var (method, target, minor) = ParseRequestLine(requestLine);
        var headers = new HeaderCollection();
        var p = headerStart;
        while (true)
        {
            var lf = buf[p..].IndexOf((byte)'\n');
            var line = TrimCr(buf.Slice(p, lf));
            p += lf + 1;
            if (line.IsEmpty) break;
            ParseHeader(line, headers);
        }
        head = new RequestHead(method, target, minor, headers);
        consumed = p;
        return true;
    }

    private static (string Method, string Target, int Minor) ParseRequestLine(ReadOnlySpan<byte> line)
    {
        var sp1 = line.IndexOf((byte)' ');
        if (sp1 <= 0) throw new HttpParseException(400, "malformed request line");
        var methodBytes = line[..sp1];
        foreach (var b in methodBytes)
            if (!IsTokenChar(b)) throw new HttpParseException(400, "malformed request method");
        var rest = line[(sp1 + 1)..];
        var sp2 = rest.IndexOf((byte)' ');
        if (sp2 <= 0) throw new HttpParseException(400, "malformed request line");
        var targetBytes = rest[..sp2];
        foreach (var b in targetBytes)
            if (b <= 0x20 || b == 0x7F) throw new HttpParseException(400, "malformed request target");
        var version = rest[(sp2 + 1)..];
        int minor;
        if (version.SequenceEqual("HTTP/1.1"u8)) minor = 1;
        else if (version.SequenceEqual("HTTP/1.0"u8)) minor = 0;
        else if (version.StartsWith("HTTP/"u8)) throw new HttpParseException(505, "HTTP version not supported");
        else throw new HttpParseException(400, "malformed HTTP version");
        if (targetBytes[0] != '/' && !targetBytes.StartsWith("http://"u8) && !targetBytes.StartsWith("https://"u8)
            && !(targetBytes.Length == 1 && targetBytes[0] == '*'))
            throw new HttpParseException(400, "malformed request target");

        return (MethodString(methodBytes), Encoding.UTF8.GetString(targetBytes), minor);
    }

    private static void ParseHeader(ReadOnlySpan<byte> line, HeaderCollection headers)
    {
        // Obsolete line folding (a line starting with whitespace) is rejected, as RFC 9112 §5.2 allows.
        var colon = line.IndexOf((byte)':');
        if (colon <= 0) throw new HttpParseException(400, "malformed header line");
        var name = line[..colon];
        foreach (var b in name)
            if (!IsTokenChar(b)) throw new HttpParseException(400, "malformed header name");
        var value = line[(colon + 1)..].Trim(" \t"u8);
        foreach (var b in value)
            if ((b < 0x20 && b != '\t') || b == 0x7F) throw new HttpParseException(400, "invalid character in header value");
        headers.AddParsed(HeaderName(name), value.IsEmpty ? "" : Encoding.UTF8.GetString(value));
    }

    private static string HeaderName(ReadOnlySpan<byte> name)
    {
        foreach (var known in KnownHeaders)
            if (known.Length == name.Length && System.Text.Ascii.EqualsIgnoreCase(name, known)) return known;
        return Encoding.ASCII.GetString(name);
    }

    private static string MethodString(ReadOnlySpan<byte> m) => m switch
    {
        _ when m.SequenceEqual("GET"u8) => "GET",
        _ when m.SequenceEqual("POST"u8) => "POST",
        _ when m.SequenceEqual("HEAD"u8) => "HEAD",
        _ when m.SequenceEqual("PUT"u8) => "PUT",
        _ when m.SequenceEqual("DELETE"u8) => "DELETE",
        _ => Encoding.ASCII.GetString(m),
    };

    private static ReadOnlySpan<byte> TrimCr(ReadOnlySpan<byte> line) =>
        line.Length > 0 && line[^1] == '\r' ? line[..^1] : line;

    // RFC 9110 tchar.
    private static bool IsTokenChar(byte b) =>
        b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9')
            or (byte)'!' or (byte)'#' or (byte)'$' or (byte)'%' or (byte)'&' or (byte)'\'' or (byte)'*' or (byte)'+'
            or (byte)'-' or (byte)'.' or (byte)'^' or (byte)'_' or (byte)'`' or (byte)'|' or (byte)'~';
}

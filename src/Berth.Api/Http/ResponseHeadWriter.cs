using System.Buffers.Text;
using System.Text;

namespace Berth.Api.Http;

/// <summary>Serializes a status line and header block.</summary>
internal static class ResponseHeadWriter
{
    /// <summary>An upper bound of the bytes <see cref="Write"/> produces.</summary>
    public static int MaxLength(string reason, HeaderCollection headers, DefaultHeaders defaults)
    {
        var n = 32 + reason.Length * 3 + defaults.Encoded.Length;
        foreach (var kv in headers) n += kv.Key.Length + (kv.Value.Length * 3) + 4;
        return n;
    }

    public static int Write(Span<byte> dest, int status, string reason, HeaderCollection headers, DefaultHeaders defaults)
    {
        var p = 0;
        "HTTP/1.1 "u8.CopyTo(dest);
        p += 9;
        Utf8Formatter.TryFormat(status, dest[p..], out var w);
        p += w;
        dest[p++] = (byte)' ';
        p += Encoding.UTF8.GetBytes(reason, dest[p..]);
        CrLf(dest, ref p);
        foreach (var kv in headers)
        {
            p += Encoding.ASCII.GetBytes(kv.Key, dest[p..]);
            dest[p++] = (byte)':';
            dest[p++] = (byte)' ';
            p += Encoding.UTF8.GetBytes(kv.Value, dest[p..]);
            CrLf(dest, ref p);
        }
        if (headers.Count == 0 || !Overrides(headers, defaults))
        {
            defaults.Encoded.CopyTo(dest[p..]);
            p += defaults.Encoded.Length;
        }
        else
        {
            // The handler set one of the default headers itself: its value wins.
            foreach (var kv in defaults.Items)
            {
                if (headers.Has(kv.Key)) continue;
                p += Encoding.ASCII.GetBytes(kv.Key, dest[p..]);
                dest[p++] = (byte)':';
                dest[p++] = (byte)' ';
                p += Encoding.UTF8.GetBytes(kv.Value, dest[p..]);
                CrLf(dest, ref p);
            }
        }
        CrLf(dest, ref p);
        return p;
    }

    public static string ReasonPhrase(int status) => status switch
    {
        100 => "Continue",
        101 => "Switching Protocols",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        206 => "Partial Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        408 => "Request Timeout",
        409 => "Conflict",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Request Entity Too Large",
        414 => "Request URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Requested Range Not Satisfiable",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "",
    };

    private static bool Overrides(HeaderCollection headers, DefaultHeaders defaults)
    {
        foreach (var kv in defaults.Items)
            if (headers.Has(kv.Key)) return true;
        return false;
    }

    private static void CrLf(Span<byte> dest, ref int p)
    {
        dest[p++] = (byte)'\r';
        dest[p++] = (byte)'\n';
    }
}

using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Berth.Distribution.Transfer;

namespace Berth.Services.Images;

/// <summary>
/// Docker's JSON messages for pull, push and load (moby <c>jsonmessage.JSONMessage</c>): <c>status</c>, <c>progressDetail</c>,
/// <c>progress</c>, <c>id</c>, <c>stream</c>, <c>aux</c>, and the final <c>errorDetail</c>/<c>error</c>; one per line, ended by CRLF.
/// </summary>
public static class ProgressJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Progress(ProgressEvent e) => Write(w =>
    {
        w.WriteString("status", e.Status);
        if (e.Current is { } current)
        {
            w.WriteStartObject("progressDetail");
            w.WriteNumber("current", current);
            if (e.Total is { } t && t > 0) w.WriteNumber("total", t);
            w.WriteEndObject();
            w.WriteString("progress", Bar(current, e.Total ?? 0));
        }
        else if (e.Detail)
        {
            w.WriteStartObject("progressDetail");
            w.WriteEndObject();
        }
        if (e.Id is not null) w.WriteString("id", e.Id);
    });

    public static byte[] Status(string status) => Progress(new ProgressEvent(null, status));

    public static byte[] Stream(string text) => Write(w => w.WriteString("stream", text));

    /// <summary>The push's last line: <c>{"progressDetail":{},"aux":{"Tag":"1","Digest":"sha256:…","Size":528}}</c>.</summary>
    public static byte[] PushAux(string tag, string digest, int size) => Write(w =>
    {
        w.WriteStartObject("progressDetail");
        w.WriteEndObject();
        w.WriteStartObject("aux");
        w.WriteString("Tag", tag);
        w.WriteString("Digest", digest);
        w.WriteNumber("Size", size);
        w.WriteEndObject();
    });

    public static byte[] Error(string message) => Write(w =>
    {
        w.WriteStartObject("errorDetail");
        w.WriteString("message", message);
        w.WriteEndObject();
        w.WriteString("error", message);
    });

    /// <summary>moby's pre-rendered bar: <c>[=====&gt;      ]  1.024kB/3.643MB</c>.</summary>
    internal static string Bar(long current, long total)
    {
        if (total <= 0) return HumanSize(current);
        const int width = 50;
        var filled = (int)Math.Clamp(width * current / total, 0, width);
        var bar = "[" + new string('=', Math.Max(0, filled - 1)) + (filled > 0 ? (filled == width ? "=" : ">") : ">") + new string(' ', Math.Max(0, width - Math.Max(filled, 1))) + "] ";
        return bar + $"{HumanSize(current),8}/{HumanSize(total)}";
    }

    /// <summary>Go's <c>units.HumanSize</c>: decimal units, four significant digits (<c>1.024kB</c>, <c>3.643MB</c>).</summary>
    public static string HumanSize(double size)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
        var i = 0;
        while (size >= 1000 && i < units.Length - 1)
        {
            size /= 1000;
            i++;
        }
        return size.ToString("G4", CultureInfo.InvariantCulture) + units[i];
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        buffer.Write("\r\n"u8);
        return buffer.ToArray();
    }
}

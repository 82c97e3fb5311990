using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Berth.Storage.Images;

/// <summary>Renders an OCI image config with Utf8JsonWriter; keys in Docker's order and sorted maps, so equal input gives equal bytes.</summary>
internal static class ImageConfigWriter
{
    public static byte[] Write(ImageConfigInput c, IReadOnlyList<string> diffIds, DateTimeOffset created)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("architecture", Architecture());
            w.WriteStartObject("config");
            WriteList(w, "Env", c.Env);
            WriteList(w, "Cmd", c.Cmd);
            WriteList(w, "Entrypoint", c.Entrypoint);
            if (!string.IsNullOrEmpty(c.WorkingDir)) w.WriteString("WorkingDir", c.WorkingDir);
            if (!string.IsNullOrEmpty(c.User)) w.WriteString("User", c.User);
            WriteSet(w, "ExposedPorts", c.ExposedPorts?.Select(p => p.Contains('/', StringComparison.Ordinal) ? p : p + "/tcp"));
            WriteSet(w, "Volumes", c.Volumes);
            if (c.Labels is { Count: > 0 })
            {
                w.WriteStartObject("Labels");
                foreach (var (k, v) in c.Labels.OrderBy(kv => kv.Key, StringComparer.Ordinal)) w.WriteString(k, v);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteString("created", FormatTime(created));
            w.WriteStartArray("history");
            w.WriteStartObject();
            w.WriteString("created", FormatTime(created));
            if (c.CreatedBy is not null) w.WriteString("created_by", c.CreatedBy);
            if (c.Comment is not null) w.WriteString("comment", c.Comment);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteString("os", "linux");
            w.WriteStartObject("rootfs");
            w.WriteString("type", "layers");
            w.WriteStartArray("diff_ids");
            foreach (var d in diffIds) w.WriteStringValue(d);
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>RFC 3339 with trailing zero fractions trimmed, as Go's time.RFC3339Nano prints it.</summary>
    public static string FormatTime(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.') + "Z";

    private static string Architecture() => RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        System.Runtime.InteropServices.Architecture.S390x => "s390x",
        System.Runtime.InteropServices.Architecture.Ppc64le => "ppc64le",
        System.Runtime.InteropServices.Architecture.RiscV64 => "riscv64",
        _ => "amd64",
    };

    private static void WriteList(Utf8JsonWriter w, string name, IReadOnlyList<string>? items)
    {
        if (items is null) return;
        w.WriteStartArray(name);
        foreach (var i in items) w.WriteStringValue(i);
        w.WriteEndArray();
    }

    private static void WriteSet(Utf8JsonWriter w, string name, IEnumerable<string>? items)
    {
        if (items is null) return;
        w.WriteStartObject(name);
        foreach (var i in items.Distinct().Order(StringComparer.Ordinal))
        {
            w.WriteStartObject(i);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }
}

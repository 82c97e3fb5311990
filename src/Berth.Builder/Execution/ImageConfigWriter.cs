using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Berth.Api.Models.Containers;

namespace Berth.Builder.Execution;

/// <summary>
/// Renders an image config as Docker's classic builder writes it: the container config with every field in moby's order
/// (omitempty ones omitted when empty), history entries, and rootfs diff ids.
/// </summary>
internal static class ImageConfigWriter
{
    public static byte[] Write(ImageConfig image, IReadOnlyList<string> diffIds, DateTimeOffset created)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("architecture", image.Architecture);
            if (!string.IsNullOrEmpty(image.Author)) w.WriteString("author", image.Author);
            w.WritePropertyName("config");
            WriteConfig(w, image.Config ?? new ContainerConfig());
            w.WriteString("created", FormatTime(created));
            w.WriteStartArray("history");
            foreach (var h in image.History)
            {
                w.WriteStartObject();
                w.WriteString("created", h.Created);
                if (!string.IsNullOrEmpty(h.Author)) w.WriteString("author", h.Author);
                if (!string.IsNullOrEmpty(h.CreatedBy)) w.WriteString("created_by", h.CreatedBy);
                if (!string.IsNullOrEmpty(h.Comment)) w.WriteString("comment", h.Comment);
                if (h.EmptyLayer) w.WriteBoolean("empty_layer", true);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("os", string.IsNullOrEmpty(image.Os) ? "linux" : image.Os);
            if (!string.IsNullOrEmpty(image.Variant)) w.WriteString("variant", image.Variant);
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

    /// <summary>The container config in moby's field order; also the canonical form cache keys hash.</summary>
    public static void WriteConfig(Utf8JsonWriter w, ContainerConfig c)
    {
        w.WriteStartObject();
        w.WriteString("Hostname", c.Hostname ?? "");
        w.WriteString("Domainname", c.Domainname ?? "");
        w.WriteString("User", c.User ?? "");
        w.WriteBoolean("AttachStdin", c.AttachStdin);
        w.WriteBoolean("AttachStdout", c.AttachStdout);
        w.WriteBoolean("AttachStderr", c.AttachStderr);
        if (c.ExposedPorts is { Count: > 0 }) WriteSet(w, "ExposedPorts", c.ExposedPorts.Keys);
        w.WriteBoolean("Tty", c.Tty);
        w.WriteBoolean("OpenStdin", c.OpenStdin);
        w.WriteBoolean("StdinOnce", c.StdinOnce);
        WriteList(w, "Env", c.Env);
        WriteList(w, "Cmd", c.Cmd);
        if (c.Healthcheck is { } h && (h.Test is { Count: > 0 } || h.Interval != 0 || h.Timeout != 0 || h.Retries != 0 || h.StartPeriod != 0 || h.StartInterval != 0))
        {
            w.WriteStartObject("Healthcheck");
            if (h.Test is { Count: > 0 }) WriteList(w, "Test", h.Test);
            if (h.Interval != 0) w.WriteNumber("Interval", h.Interval);
            if (h.Timeout != 0) w.WriteNumber("Timeout", h.Timeout);
            if (h.StartPeriod != 0) w.WriteNumber("StartPeriod", h.StartPeriod);
            if (h.StartInterval != 0) w.WriteNumber("StartInterval", h.StartInterval);
            if (h.Retries != 0) w.WriteNumber("Retries", h.Retries);
            w.WriteEndObject();
        }
        if (c.ArgsEscaped == true) w.WriteBoolean("ArgsEscaped", true);
        w.WriteString("Image", c.Image ?? "");
        if (c.Volumes is { Count: > 0 }) WriteSet(w, "Volumes", c.Volumes.Keys);
        else w.WriteNull("Volumes");
        w.WriteString("WorkingDir", c.WorkingDir ?? "");
        WriteList(w, "Entrypoint", c.Entrypoint);
        if (c.NetworkDisabled == true) w.WriteBoolean("NetworkDisabled", true);
        WriteList(w, "OnBuild", c.OnBuild);
        if (c.Labels is null) w.WriteNull("Labels");
        else
        {
            w.WriteStartObject("Labels");
            foreach (var (k, v) in c.Labels.OrderBy(kv => kv.Key, StringComparer.Ordinal)) w.WriteString(k, v);
            w.WriteEndObject();
        }
        if (!string.IsNullOrEmpty(c.StopSignal)) w.WriteString("StopSignal", c.StopSignal);
        if (c.StopTimeout is { } st) w.WriteNumber("StopTimeout", st);
        if (c.Shell is { Count: > 0 }) WriteList(w, "Shell", c.Shell);
        w.WriteEndObject();
    }

    /// <summary>RFC 3339 with trailing zero fractions trimmed, as Go's time.RFC3339Nano prints it.</summary>
    public static string FormatTime(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.') + "Z";

    private static void WriteList(Utf8JsonWriter w, string name, List<string>? items)
    {
        if (items is null)
        {
            w.WriteNull(name);
            return;
        }
        w.WriteStartArray(name);
        foreach (var i in items) w.WriteStringValue(i);
        w.WriteEndArray();
    }

    private static void WriteSet(Utf8JsonWriter w, string name, IEnumerable<string> keys)
    {
        w.WriteStartObject(name);
        foreach (var k in keys.Order(StringComparer.Ordinal))
        {
            w.WriteStartObject(k);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }
}

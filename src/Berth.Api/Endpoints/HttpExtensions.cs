using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Api.Http;
using Berth.Api.Routing;
using Berth.Core.Errors;

namespace Berth.Api.Endpoints;

/// <summary>Small helpers the endpoint groups share: typed query values, JSON bodies, API-version checks.</summary>
internal static class HttpExtensions
{
    public static int? QueryInt(this HttpRequest request, string name)
    {
        var text = request.Query.Get(name);
        if (string.IsNullOrEmpty(text)) return null;
        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : throw new InvalidArgumentException($"invalid value for {name}: {text}");
    }

    public static async Task<T?> ReadJsonAsync<T>(this HttpRequest request, JsonTypeInfo<T> type, CancellationToken ct) where T : class
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        if (buffer.Length == 0) return null;
        buffer.Position = 0;
        try
        {
            return await JsonSerializer.DeserializeAsync(buffer, type, ct);
        }
        catch (JsonException ex)
        {
            throw new InvalidArgumentException(ex.Message, ex);
        }
    }

    public static bool AtLeast(this HttpContext ctx, int major, int minor) => ApiVersions.Of(ctx) >= new Version(major, minor);

    public static Task NoContentAsync(this HttpContext ctx)
    {
        ctx.Response.StatusCode = 204;
        return Task.CompletedTask;
    }

    /// <summary>Unix seconds with optional fraction (<c>1700000000.123456789</c>); empty or 0 means unset.</summary>
    public static DateTimeOffset? QueryTime(this HttpRequest request, string name)
    {
        var text = request.Query.Get(name);
        if (string.IsNullOrEmpty(text) || text == "0") return null;
        var parts = text.Split('.', 2);
        if (!long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
        {
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var absolute)) return absolute;
            throw new InvalidArgumentException($"invalid value for {name}: {text}");
        }
        long nanos = 0;
        // Out-of-range seconds or a fraction that is not digits are the client's mistake (400), not ours (500).
        if (parts.Length == 2 && parts[1].Length > 0
            && !long.TryParse(parts[1].PadRight(9, '0')[..9], NumberStyles.None, CultureInfo.InvariantCulture, out nanos))
            throw new InvalidArgumentException($"invalid value for {name}: {text}");
        if (seconds < DateTimeOffset.MinValue.ToUnixTimeSeconds() || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds() - 1)
            throw new InvalidArgumentException($"invalid value for {name}: {text}");
        return DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(nanos / 100);
    }
}

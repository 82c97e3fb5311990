using System.Text.Json;
using Berth.Core.Errors;

namespace Berth.Api.Endpoints;

/// <summary>
/// <c>X-Berth-Build-Secrets</c>: Berth's way to hand <c>berth build --secret</c> values to the classic <c>POST /build</c>, which
/// has no field for them. The value is base64 of a JSON object from secret id to the base64 of its content. A header (not a
/// query parameter) keeps secrets out of request lines, and nothing here logs them.
/// </summary>
internal static class BuildSecretsHeader
{
    public const string Name = "X-Berth-Build-Secrets";

    public static Dictionary<string, byte[]> Decode(string? header)
    {
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(header)) return result;
        try
        {
            using var doc = JsonDocument.Parse(Convert.FromBase64String(header.Trim()));
            foreach (var p in doc.RootElement.EnumerateObject())
                result[p.Name] = Convert.FromBase64String(p.Value.GetString() ?? "");
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            // Never echo the value: it is a secret.
            throw new InvalidArgumentException($"invalid {Name} header: expected base64 of a JSON object of base64 strings");
        }
        return result;
    }
}

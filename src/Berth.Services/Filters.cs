using System.Text.Json;
using Berth.Core.Errors;

namespace Berth.Services;

/// <summary>
/// The <c>filters</c> query parameter: JSON in either encoding clients send, map-of-sets
/// <c>{"label":{"a=b":true}}</c> (Go, Docker.DotNet) or map-of-lists <c>{"label":["a=b"]}</c> (docker-py).
/// </summary>
public static class Filters
{
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Parse(string? json)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(json)) return result;
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new InvalidArgumentException("invalid filter: filters must be a JSON object");
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                var values = new List<string>();
                switch (prop.Value.ValueKind)
                {
                    case JsonValueKind.Object:
                        foreach (var v in prop.Value.EnumerateObject()) if (v.Value.ValueKind != JsonValueKind.False) values.Add(v.Name);
                        break;
                    case JsonValueKind.Array:
                        foreach (var v in prop.Value.EnumerateArray()) values.Add(v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText());
                        break;
                    case JsonValueKind.String:
                        values.Add(prop.Value.GetString()!);
                        break;
                    default:
                        throw new InvalidArgumentException($"invalid filter '{prop.Name}'");
                }
                result[prop.Name] = values;
            }
        }
        catch (JsonException ex)
        {
            throw new InvalidArgumentException($"invalid filter: {ex.Message}", ex);
        }
        return result;
    }

    /// <summary>Refuses filter keys the endpoint does not know, with moby's text.</summary>
    public static void Validate(IReadOnlyDictionary<string, IReadOnlyList<string>> filters, params string[] accepted)
    {
        foreach (var key in filters.Keys)
            if (!accepted.Contains(key)) throw new InvalidArgumentException($"invalid filter '{key}'");
    }
}

using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>The body of every Engine API error: <c>{"message": "..."}</c>, as moby writes it.</summary>
internal sealed record ErrorResponse([property: JsonPropertyName("message")] string Message);

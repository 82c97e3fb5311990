namespace Berth.Api.Models.Common;

public sealed class ErrorResponse
{
    [System.Text.Json.Serialization.JsonPropertyName("message")] public string Message { get; set; } = "";
}

public sealed class IdResponse
{
    public string Id { get; set; } = "";
}

namespace Berth.Api.Http;

/// <summary>A request the server refuses before any handler sees it; answered with <see cref="Status"/> and closed.</summary>
internal sealed class HttpParseException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

namespace Berth.Api.Http;

/// <summary>
/// Serves one request. The response is completed by the server when the returned task finishes
/// (remaining buffered body flushed, chunked stream terminated); a hijacked connection is closed then.
/// </summary>
public delegate Task RequestHandler(HttpContext ctx);

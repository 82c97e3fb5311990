using Berth.Core.Errors;

namespace Berth.Api;

/// <summary>The one place error kinds become HTTP statuses (moby daemon/server/httpstatus/status.go).</summary>
internal static class ErrorMapping
{
    public static int StatusFor(ErrorKind kind) => kind switch
    {
        ErrorKind.NotFound => 404,
        ErrorKind.InvalidArgument or ErrorKind.FailedPrecondition => 400,
        ErrorKind.AlreadyExists or ErrorKind.Conflict => 409,
        ErrorKind.NotModified => 304,
        ErrorKind.Unauthorized => 401,
        ErrorKind.PermissionDenied => 403,
        ErrorKind.NotImplemented => 501,
        ErrorKind.Unavailable => 503,
        _ => 500,
    };

    /// <summary>The outermost <see cref="EngineException"/> in the InnerException chain: wrappers add context, keep the kind.</summary>
    public static EngineException? FirstEngineException(Exception? ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
            if (e is EngineException engine) return engine;
        return null;
    }
}

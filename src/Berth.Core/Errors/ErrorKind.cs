namespace Berth.Core.Errors;

/// <summary>Classes of failure; the API maps each to one HTTP status (see Berth.Api ErrorMapping).</summary>
public enum ErrorKind
{
    Unknown,
    InvalidArgument,
    NotFound,
    AlreadyExists,
    Conflict,
    FailedPrecondition,
    NotModified,
    Unauthorized,
    PermissionDenied,
    Unavailable,
    NotImplemented,
}

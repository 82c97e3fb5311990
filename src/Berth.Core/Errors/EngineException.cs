namespace Berth.Core.Errors;

/// <summary>An error whose kind is known where it is thrown; the message is API text in Docker's words.</summary>
public class EngineException(ErrorKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public ErrorKind Kind { get; } = kind;
}

public sealed class NotFoundException(string message, Exception? inner = null) : EngineException(ErrorKind.NotFound, message, inner);

public sealed class InvalidArgumentException(string message, Exception? inner = null) : EngineException(ErrorKind.InvalidArgument, message, inner);

public sealed class ConflictException(string message, Exception? inner = null) : EngineException(ErrorKind.Conflict, message, inner);

public sealed class AlreadyExistsException(string message, Exception? inner = null) : EngineException(ErrorKind.AlreadyExists, message, inner);

public sealed class NotModifiedException(string message = "") : EngineException(ErrorKind.NotModified, message);

public sealed class FailedPreconditionException(string message, Exception? inner = null) : EngineException(ErrorKind.FailedPrecondition, message, inner);

public sealed class NotImplementedEngineException(string message) : EngineException(ErrorKind.NotImplemented, message);

public sealed class UnavailableException(string message, Exception? inner = null) : EngineException(ErrorKind.Unavailable, message, inner);

using Berth.Core.Errors;

namespace Berth.Compose;

/// <summary>An invalid Compose project. Messages follow docker compose's wording, prefixed with "file:line: key.path:" when known.</summary>
public sealed class ComposeException(string message, Exception? inner = null) : EngineException(ErrorKind.InvalidArgument, message, inner);

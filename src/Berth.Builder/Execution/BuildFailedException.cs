namespace Berth.Builder.Execution;

/// <summary>A build error reported in the progress stream; <see cref="Code"/> is the failing command's exit code when there is one.</summary>
public sealed class BuildFailedException(string message, int? code = null, Exception? inner = null) : Exception(message, inner)
{
    public int? Code { get; } = code;
}

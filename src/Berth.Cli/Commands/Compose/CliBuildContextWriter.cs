using Berth.Compose.Engine;

namespace Berth.Cli.Commands.Compose;

/// <summary>The engine's build contexts, written by the same code as <c>berth build</c> (so .dockerignore behaves alike).</summary>
internal sealed class CliBuildContextWriter : IBuildContextWriter
{
    public Task WriteAsync(Stream output, string contextDir, string dockerfilePath, string? dockerfileRel, string? injectedName, string? injectedPath, CancellationToken ct)
    {
        var patterns = BuildContextWriter.ReadIgnorePatterns(contextDir, dockerfilePath);
        return BuildContextWriter.WriteAsync(output, contextDir, patterns, dockerfileRel, injectedName, injectedPath, ct);
    }
}

namespace Berth.Compose.Engine;

/// <summary>
/// Writes a build context tar as the docker CLI sends it (honouring .dockerignore). The CLI owns that logic; the engine
/// only decides what goes in. <paramref name="injectedName"/>/<paramref name="injectedPath"/> carry a Dockerfile from
/// outside the context (or an inline one written to a temp file) into the tar under a generated name.
/// </summary>
public interface IBuildContextWriter
{
    Task WriteAsync(Stream output, string contextDir, string dockerfilePath, string? dockerfileRel, string? injectedName, string? injectedPath, CancellationToken ct);
}

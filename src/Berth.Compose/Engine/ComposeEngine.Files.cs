using Berth.Compose.Model;

namespace Berth.Compose.Engine;

public sealed partial class ComposeEngine
{
    /// <summary>
    /// Writes the service's <c>environment</c>/<c>content</c> secrets and configs into a created container before it starts,
    /// as docker/compose's <c>injectSecrets</c>/<c>injectConfigs</c> do on every start (so a changed value reaches a kept container).
    /// </summary>
    public async Task InjectFilesAsync(ComposeProject project, ServiceConfig service, string containerId, CancellationToken ct)
    {
        foreach (var entry in InjectedFiles.For(project, service))
        {
            using var tar = InjectedFiles.Tar(entry);
            await client.PutContainerArchiveAsync(containerId, "/", tar, noOverwriteDirNonDir: false, entry.CopyUidGid, ct);
        }
    }
}

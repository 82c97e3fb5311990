using Berth.Api.Models.Containers;
using Berth.Storage;

namespace Berth.Services.Containers;

public sealed partial class ContainerService
{
    /// <summary><c>GET /containers/{id}/changes</c> (<c>docker diff</c>): the container's upper dir against its image's layers.</summary>
    public List<FilesystemChange> Changes(string idOrName)
    {
        var d = Get(idOrName).Doc;
        var lowers = d.TopChainId is null ? [] : _layers.LowerDirs(d.TopChainId);
        return [.. OverlayChanges.Compute(d.UpperDir, lowers).Select(c => new FilesystemChange { Path = c.Path, Kind = c.Kind })];
    }
}

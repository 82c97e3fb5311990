namespace Berth.Api.Models.Images;

/// <summary><c>POST /images/prune</c>: <c>{"ImagesDeleted":[…],"SpaceReclaimed":N}</c> (moby sends null for none deleted).</summary>
public sealed class ImagePruneResponse
{
    public List<ImageDeleteResponseItem>? ImagesDeleted { get; set; }
    public long SpaceReclaimed { get; set; }
}

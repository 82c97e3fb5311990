namespace Berth.Storage.Archive;

/// <summary>
/// Who owns what <c>PUT /containers/{id}/archive</c> extracts: the tar header's ids (Docker's default), or one fixed user
/// (<c>copyUIDGID</c> with a container <c>User</c>, moby's <c>tarCopyOptions</c>).
/// </summary>
public sealed record CopyOwnership(long? Uid = null, long? Gid = null)
{
    public static readonly CopyOwnership FromHeader = new();
}

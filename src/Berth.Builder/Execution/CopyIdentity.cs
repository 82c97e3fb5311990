namespace Berth.Builder.Execution;

/// <summary>Who owns copied files: a fixed uid/gid (<c>--chown</c>, or root by default), or the source's own owners (COPY --from).</summary>
internal sealed record CopyIdentity(int Uid, int Gid, bool Preserve)
{
    public static CopyIdentity Root { get; } = new(0, 0, false);
}

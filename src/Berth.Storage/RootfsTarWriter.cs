using Berth.Storage.Archive;

namespace Berth.Storage;

/// <summary>
/// Archives a directory tree (owners, modes, symlinks, hard links, devices, binary xattrs) for <c>export</c> and for making layers;
/// overlay whiteouts and opaque directories in an upper dir become OCI <c>.wh.</c> entries. Entries are in ordinal order.
/// </summary>
public static class RootfsTarWriter
{
    public static Task WriteAsync(string dir, Stream output, CancellationToken ct) => new TreeArchiver(new TreeArchiveOptions()).WriteAsync(dir, output, ct);
}

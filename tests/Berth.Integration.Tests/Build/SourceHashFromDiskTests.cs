using Berth.Builder.Execution;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Build;

/// <summary>
/// Sources that are not the build context (<c>COPY --from</c> a stage or image, an <c>ADD</c> download) are hashed from disk as
/// Docker 28 does (moby remotecontext lazycontext.go and filehash.go over go-archive's FileInfoHeader: permission bits, owner ids,
/// no user names, no mtime). Root, because the owners are part of the name and the expected values are for root-owned files.
/// The same algorithm with Docker 20.10's two old header habits (file-type bits in the mode, looked-up user names) reproduces
/// what a real dockerd 20.10.24 printed for this tree (dir:9ff47759…, file:a8c9d5e2…); these are the values without them.
/// </summary>
public sealed class SourceHashFromDiskTests : IDisposable
{
    private readonly string _root = Path.Join(Path.GetTempPath(), "berth-lazyhash-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [RootFact]
    public void Tree_FileDirAndLinks_NamedAsDocker28()
    {
        MakeTree();
        var hasher = SourceHasher.ForTree(_root);
        // A root-owned file's header is the same as the CLI's tar header for it, so its name equals the context's.
        Assert.Equal("file:c89528a122466017deae7c9ef307b767d4aec558edc178b0d5766dd8b957619a", hasher.SourceHash("d/one.txt"));
        Assert.Equal("file:c89528a122466017deae7c9ef307b767d4aec558edc178b0d5766dd8b957619a", hasher.SourceHash("/d/link"));
        // Unlike the context, a dangling link inside is named by the path it leads to (lazycontext.go Hash returns relPath).
        Assert.Equal("dir:23e602148f6f3815c441d0ddeffe9df09032c7bf691f7415b48e1a9d07176d6d", hasher.SourceHash("/d"));
    }

    [RootFact]
    public void Tree_OwnerAndModeChangeTheName_MtimeDoesNot()
    {
        MakeTree();
        var before = SourceHasher.ForTree(_root).SourceHash("d");
        File.SetLastWriteTimeUtc(Path.Join(_root, "d/one.txt"), DateTime.UtcNow.AddDays(-3));
        Assert.Equal(before, SourceHasher.ForTree(_root).SourceHash("d"));
        Berth.Builder.Interop.Libc.LchownOrThrow(Path.Join(_root, "d/one.txt"), 1000, 1000);
        var chowned = SourceHasher.ForTree(_root).SourceHash("d");
        Assert.NotEqual(before, chowned);
        File.SetUnixFileMode(Path.Join(_root, "d/one.txt"), (UnixFileMode)0b111_101_101);
        Assert.NotEqual(chowned, SourceHasher.ForTree(_root).SourceHash("d"));
    }

    private void MakeTree()
    {
        void Dir(string rel, int mode)
        {
            Directory.CreateDirectory(Path.Join(_root, rel));
            File.SetUnixFileMode(Path.Join(_root, rel), (UnixFileMode)mode);
        }
        void FileOf(string rel, string text, int mode)
        {
            File.WriteAllText(Path.Join(_root, rel), text);
            File.SetUnixFileMode(Path.Join(_root, rel), (UnixFileMode)mode);
        }
        Directory.CreateDirectory(_root);
        Dir("d", 0b111_101_101);
        Dir("d/sub", 0b111_101_101);
        Dir("d/sub/deep", 0b111_101_101);
        FileOf("d/one.txt", "one\n", 0b110_100_100);
        FileOf("d/run.sh", "#!/bin/sh\necho x\n", 0b111_101_101);
        FileOf("d/sub/p.txt", "secret\n", 0b110_000_000);
        FileOf("d/sub/deep/empty", "", 0b110_100_100);
        File.SetUnixFileMode(Path.Join(_root, "d/sub"), (UnixFileMode)0b111_000_000);
        File.CreateSymbolicLink(Path.Join(_root, "d/link"), "one.txt");
        File.CreateSymbolicLink(Path.Join(_root, "d/dirlink"), "sub");
        File.CreateSymbolicLink(Path.Join(_root, "d/dangling"), "nowhere");
    }
}

using System.Formats.Tar;
using System.Text;
using Berth.Builder.Execution;
using Berth.Storage.Archive;

namespace Berth.Tests.Builder;

/// <summary>
/// COPY/ADD source names against values a real dockerd (Debian's 20.10.24, classic builder, driven by the docker 28.2.2 CLI)
/// printed in <c>docker history --no-trunc</c> for the same context: the tree below, sent as the CLI sends it (uid and gid 0,
/// permission bits, directories named with a trailing slash, symlinks 0777). The context's tarsums are the same in moby 20.10
/// and 28 (only what moby hashes from disk changed), so these are Docker 28's names too.
/// </summary>
public sealed class SourceHasherTests : IDisposable
{
    private readonly string _dir = Path.Join(Path.GetTempPath(), "berth-srchash-" + Guid.NewGuid().ToString("N")[..8]);

    // (name in the tar, mode, content or symlink target prefixed with "->"; null for a directory)
    private static readonly (string Name, int Mode, string? Data)[] Tree =
    [
        ("Dockerfile", 0b110_100_100, "FROM scratch\n"),
        ("a.txt", 0b110_100_100, "hello\n"),
        ("b.txt", 0b110_100_100, "bee\n"),
        ("d/", 0b111_101_101, null),
        ("d/dangling", 0b111_111_111, "->nowhere"),
        ("d/dirlink", 0b111_111_111, "->sub"),
        ("d/link", 0b111_111_111, "->one.txt"),
        ("d/one.txt", 0b110_100_100, "one\n"),
        ("d/run.sh", 0b111_101_101, "#!/bin/sh\necho x\n"),
        ("d/sub/", 0b111_000_000, null),
        ("d/sub/deep/", 0b111_101_101, null),
        ("d/sub/deep/empty", 0b110_100_100, ""),
        ("d/sub/p.txt", 0b110_000_000, "secret\n"),
        ("e1/", 0b111_101_101, null),
        ("e1/f", 0b110_100_100, "one\n"),
        ("e2/", 0b111_101_101, null),
        ("e2/s/", 0b111_101_101, null),
    ];

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task File_IsNamedByTheTarsumOfItsHeaderAndContent()
    {
        var hasher = await ContextAsync();
        Assert.Equal("file:00ec16333078d287782d462baefc8bb9eb0231dc3aefba3ca3e2f7e5cf0cadda", hasher.SourceHash("a.txt"));
        Assert.Equal("file:00ec16333078d287782d462baefc8bb9eb0231dc3aefba3ca3e2f7e5cf0cadda", hasher.SourceHash("./a.txt"));
    }

    [Fact]
    public async Task Symlink_IsNamedByWhatItPointsAt()
    {
        var hasher = await ContextAsync();
        Assert.Equal("file:c89528a122466017deae7c9ef307b767d4aec558edc178b0d5766dd8b957619a", hasher.SourceHash("d/link"));
        Assert.Equal(hasher.SourceHash("d/one.txt"), hasher.SourceHash("d/link"));
    }

    [Fact]
    public async Task Directory_CoversItselfNestedEntriesModesAndLinks()
    {
        var hasher = await ContextAsync();
        Assert.Equal("dir:4a5418cc62e6a7e11136a00f9c084d6ac7f6519d18d64f381ed1d9a4df89d97c", hasher.SourceHash("d"));
        Assert.Equal("dir:4a5418cc62e6a7e11136a00f9c084d6ac7f6519d18d64f381ed1d9a4df89d97c", hasher.SourceHash("d/"));
        Assert.Equal("dir:ab7389dec09a861b2e3ad0a821cc9fa0c575dcfacef969012faac767b34282b5", hasher.SourceHash("e1"));
        Assert.Equal("dir:ddd3e544a88037b968a9ab7c296df50aad82f70fb114a9a3235b226f235ef7e0", hasher.SourceHash("e2"));
    }

    [Fact]
    public async Task SeveralSources_AreNamedMultiOverTheirNamesInOrder()
    {
        var hasher = await ContextAsync();
        Assert.Equal("multi:b3334a615c8fb7a57a67140d4201da33e2c20274e1a8264ecf35acfab80eedff",
            FileHasher.HashMany([hasher.SourceHash("a.txt"), hasher.SourceHash("b.txt")]));
        Assert.Equal("multi:a6c978d5efe11315da2394faa11918b8d1c43ed9c1e87551d2612a93441288ac",
            FileHasher.HashMany([hasher.SourceHash("a.txt"), hasher.SourceHash("d/")]));
    }

    [Fact]
    public async Task Mtime_KeepsTheName_ModeAndContentChangeIt()
    {
        var baseline = (await ContextAsync()).SourceHash("d");
        Assert.Equal(baseline, (await ContextAsync(mtime: DateTimeOffset.UnixEpoch.AddDays(9000))).SourceHash("d"));
        Assert.NotEqual(baseline, (await ContextAsync(change: ("d/one.txt", 0b111_101_101, "one\n"))).SourceHash("d"));
        Assert.NotEqual(baseline, (await ContextAsync(change: ("d/one.txt", 0b110_100_100, "two\n"))).SourceHash("d"));
    }

    /// <summary>The tree on disk (what the hasher walks and follows) and its tarsums from a tar written as the docker CLI writes it.</summary>
    private async Task<SourceHasher> ContextAsync(DateTimeOffset? mtime = null, (string Name, int Mode, string Data)? change = null)
    {
        var root = Path.Join(_dir, Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        using var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var item in Tree)
            {
                var (name, mode, data) = change is { } c && c.Name == item.Name ? c : item;
                var path = Path.Join(root, name);
                var type = data is null ? TarEntryType.Directory : data.StartsWith("->", StringComparison.Ordinal) ? TarEntryType.SymbolicLink : TarEntryType.RegularFile;
                var entry = new PaxTarEntry(type, name) { Mode = (UnixFileMode)mode, Uid = 0, Gid = 0, ModificationTime = mtime ?? DateTimeOffset.UnixEpoch.AddDays(20000) };
                if (type == TarEntryType.Directory) Directory.CreateDirectory(path);
                else if (type == TarEntryType.SymbolicLink)
                {
                    entry.LinkName = data![2..];
                    File.CreateSymbolicLink(path, entry.LinkName);
                }
                else
                {
                    await File.WriteAllTextAsync(path, data);
                    entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(data!));
                }
                await writer.WriteEntryAsync(entry);
            }
        }
        tar.Position = 0;
        return SourceHasher.ForContext(root, await TarSum.FileSumsAsync(tar, CancellationToken.None));
    }
}

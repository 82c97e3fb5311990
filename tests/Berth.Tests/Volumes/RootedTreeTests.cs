using System.Formats.Tar;
using Berth.Core.Errors;
using Berth.Storage.Archive;
using Berth.Tests.Storage;

namespace Berth.Tests.Volumes;

/// <summary>
/// <see cref="RootedTree"/> without root: a fake container root with links planted to "/", to a host directory and by climbing with
/// "..", and a host directory holding a secret. No read or write may reach the secret's directory.
/// </summary>
public sealed class RootedTreeTests : IDisposable
{
    private readonly TempDir _tmp = new();
    private readonly string _root;
    private readonly string _host;

    public RootedTreeTests()
    {
        _root = _tmp.Sub("root");
        _host = _tmp.Sub("host");
        Directory.CreateDirectory(Path.Join(_root, "etc"));
        Directory.CreateDirectory(_host);
        File.WriteAllText(Path.Join(_root, "etc", "passwd"), "container");
        File.WriteAllText(Path.Join(_host, "secret"), "host");
        File.CreateSymbolicLink(Path.Join(_root, "rootlink"), "/");
        File.CreateSymbolicLink(Path.Join(_root, "hostlink"), _host);
        File.CreateSymbolicLink(Path.Join(_root, "climb"), "../../../../../../.." + _host);
        File.CreateSymbolicLink(Path.Join(_root, "etclink"), "/etc");
    }

    public void Dispose() => _tmp.Dispose();

    private RootedTree Open() => RootedTree.Open(_root);

    [Fact]
    public void Stat_File_ReportsGoModeAndName()
    {
        using var t = Open();
        var st = t.Stat("/etc/passwd");
        Assert.Equal("passwd", st.Name);
        Assert.Equal(9, st.Size);
        Assert.Equal(0u, st.Mode & ContainerPathStat.GoModeDir);
        Assert.Equal("", st.LinkTarget);
        Assert.True(t.Stat("/etc").IsDir);
    }

    [Theory]
    [InlineData("/rootlink", "/")]
    [InlineData("/etclink", "/etc")]
    [InlineData("/climb", null)]
    [InlineData("/hostlink", null)]
    public void Stat_Symlink_LinkTargetResolvedInsideRoot(string path, string? expected)
    {
        using var t = Open();
        var st = t.Stat(path);
        Assert.NotEqual(0u, st.Mode & ContainerPathStat.GoModeSymlink);
        Assert.Equal(expected ?? _host, st.LinkTarget);
    }

    [Theory]
    [InlineData("/rootlink/etc/passwd")]
    [InlineData("/etclink/passwd")]
    public void ReadThroughLinks_ReadsContainerFile(string path)
    {
        using var t = Open();
        Assert.Equal("container", t.TryReadText(path));
    }

    [Theory]
    [InlineData("/hostlink/secret")]
    [InlineData("/climb/secret")]
    [InlineData("/rootlink/../../../../secret")]
    public void ReadThroughEscapingLinks_FindsNothing(string path)
    {
        using var t = Open();
        Assert.Null(t.TryReadText(path));
        Assert.Throws<NotFoundException>(() => t.Stat(path));
    }

    [Fact]
    public void ReadHostSecretByAbsoluteRootPath_FindsNothing()
    {
        using var t = Open();
        Assert.Null(t.TryReadText(Path.Join(_host, "secret")));
    }

    [Fact]
    public async Task Archive_Directory_TopEntryIsBaseName()
    {
        using var t = Open();
        var entries = await ArchiveAsync(t, "/etc");
        Assert.Equal(["etc/", "etc/passwd"], entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("container", entries["etc/passwd"]);
    }

    [Fact]
    public async Task Archive_TrailingDot_NamesEntriesFromDot()
    {
        using var t = Open();
        var entries = await ArchiveAsync(t, "/etc/.");
        Assert.Equal(["./", "./passwd"], entries.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Archive_SymlinkToHost_IsArchivedAsTheLinkItself()
    {
        using var t = Open();
        var entries = await ArchiveAsync(t, "/hostlink");
        Assert.Equal("-> " + _host, Assert.Single(entries).Value);
    }

    [Fact]
    public async Task Archive_DirectoryThroughEscapingLink_IsNotFound()
    {
        using var t = Open();
        await Assert.ThrowsAsync<NotFoundException>(() => ArchiveAsync(t, "/hostlink/"));
        await Assert.ThrowsAsync<NotFoundException>(() => ArchiveAsync(t, "/climb/secret"));
    }

    [Fact]
    public async Task Extract_IntoLinkToHost_IsNotFound_HostUntouched()
    {
        using var t = Open();
        await Assert.ThrowsAsync<NotFoundException>(() => t.ExtractAsync("/hostlink", TarBuilder.Build(TarBuilder.File("pwned", "x")), true, CopyOwnership.FromHeader, default));
        Assert.Equal(["secret"], Directory.EnumerateFileSystemEntries(_host).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Extract_ThroughLinkToRoot_LandsInsideRoot()
    {
        using var t = Open();
        await t.ExtractAsync("/rootlink/etc", TarBuilder.Build(TarBuilder.File("new", "x")), true, CopyOwnership.FromHeader, default);
        Assert.Equal("x", File.ReadAllText(Path.Join(_root, "etc", "new")));
    }

    [Fact]
    public async Task Extract_ArchivePlantsLinkThenWritesThroughIt_HostUntouched()
    {
        using var t = Open();
        var tar = TarBuilder.Build(TarBuilder.Symlink("door", _host), TarBuilder.File("door/pwned", "x"));
        await Assert.ThrowsAnyAsync<Exception>(() => t.ExtractAsync("/etc", tar, true, CopyOwnership.FromHeader, default));
        Assert.Equal(["secret"], Directory.EnumerateFileSystemEntries(_host).Select(Path.GetFileName));
        Assert.Equal(_host, new FileInfo(Path.Join(_root, "etc", "door")).LinkTarget);
    }

    [Fact]
    public async Task Extract_DotDotEntry_IsRefused()
    {
        using var t = Open();
        var tar = TarBuilder.Build(TarBuilder.File("../../../../../../.." + _host + "/pwned", "x"));
        await Assert.ThrowsAsync<InvalidArgumentException>(() => t.ExtractAsync("/etc", tar, true, CopyOwnership.FromHeader, default));
        Assert.Equal(["secret"], Directory.EnumerateFileSystemEntries(_host).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Extract_NoOverwriteDirNonDir_RefusesReplacingDirectoryWithFile()
    {
        using var t = Open();
        var tar = TarBuilder.Build(TarBuilder.File("etc", "x"));
        await Assert.ThrowsAsync<InvalidArgumentException>(() => t.ExtractAsync("/", tar, true, CopyOwnership.FromHeader, default));
        Assert.True(Directory.Exists(Path.Join(_root, "etc")));
    }

    [Fact]
    public async Task Extract_IntoFile_IsInvalid()
    {
        using var t = Open();
        var ex = await Assert.ThrowsAsync<InvalidArgumentException>(() => t.ExtractAsync("/etc/passwd", TarBuilder.Build(TarBuilder.File("a", "x")), true, CopyOwnership.FromHeader, default));
        Assert.Equal("extraction point is not a directory", ex.Message);
    }

    [Fact]
    public async Task Extract_KeepsModesAndWhiteoutNamesArePlainFiles()
    {
        using var t = Open();
        var tar = TarBuilder.Build(TarBuilder.Dir("d", (UnixFileMode)0x1C0), TarBuilder.File("d/run.sh", "#!", (UnixFileMode)0x1E8), TarBuilder.File("d/.wh.x", "plain"));
        await t.ExtractAsync("/", tar, true, CopyOwnership.FromHeader, default);
        Assert.Equal((UnixFileMode)0x1E8, File.GetUnixFileMode(Path.Join(_root, "d", "run.sh")));
        Assert.Equal((UnixFileMode)0x1C0, File.GetUnixFileMode(Path.Join(_root, "d")));
        Assert.Equal("plain", File.ReadAllText(Path.Join(_root, "d", ".wh.x")));
    }

    [Fact]
    public async Task CopyDirectoryInto_CopiesContentAndRootMode()
    {
        var volume = _tmp.Sub("vol");
        Directory.CreateDirectory(volume);
        File.SetUnixFileMode(Path.Join(_root, "etc"), (UnixFileMode)0x1E8);
        using var t = Open();
        using var target = RootedTree.Open(volume);
        Assert.True(await t.CopyDirectoryIntoAsync("/etclink", target, default));
        Assert.Equal("container", File.ReadAllText(Path.Join(volume, "passwd")));
        Assert.Equal((UnixFileMode)0x1E8, File.GetUnixFileMode(volume));
        Assert.False(await t.CopyDirectoryIntoAsync("/hostlink", target, default));
    }

    [Fact]
    public void VolumeSubpath_ThroughSymlink_IsRefused()
    {
        Berth.Services.Containers.ContainerService.CheckSubpath(_root, "etc");
        Assert.Throws<InvalidArgumentException>(() => Berth.Services.Containers.ContainerService.CheckSubpath(_root, "hostlink"));
        Assert.Throws<InvalidArgumentException>(() => Berth.Services.Containers.ContainerService.CheckSubpath(_root, "etclink"));
        Assert.Throws<InvalidArgumentException>(() => Berth.Services.Containers.ContainerService.CheckSubpath(_root, "missing"));
    }

    private static async Task<Dictionary<string, string>> ArchiveAsync(RootedTree t, string path)
    {
        var ms = new MemoryStream();
        await t.WriteArchiveAsync(path, ms, default);
        ms.Position = 0;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        using var reader = new TarReader(ms);
        while (reader.GetNextEntry() is { } e)
        {
            using var sr = e.DataStream is null ? null : new StreamReader(e.DataStream);
            result[e.Name] = e.EntryType == TarEntryType.SymbolicLink ? "-> " + e.LinkName : sr?.ReadToEnd() ?? "";
        }
        return result;
    }
}

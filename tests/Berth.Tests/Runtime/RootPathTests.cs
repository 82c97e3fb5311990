using Berth.Runtime.Oci;

namespace Berth.Tests.Runtime;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RootPathTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("berth-rootpath-").FullName;

    [Fact]
    public void Resolve_AbsoluteAndDotDotSymlinks_StayInsideRoot()
    {
        Directory.CreateDirectory(Path.Combine(_root, "etc"));
        Directory.CreateDirectory(Path.Combine(_root, "data"));
        File.CreateSymbolicLink(Path.Combine(_root, "etc/passwd"), "/etc/shadow");
        File.CreateSymbolicLink(Path.Combine(_root, "etc/group"), "../../../../data/group");
        Assert.Equal(Path.Combine(_root, "etc/shadow"), RootPath.Resolve(_root, "etc/passwd"));
        Assert.Equal(Path.Combine(_root, "data/group"), RootPath.Resolve(_root, "etc/group"));
        Assert.Equal(Path.Combine(_root, "etc/hosts"), RootPath.Resolve(_root, "/etc/./x/../hosts"));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}

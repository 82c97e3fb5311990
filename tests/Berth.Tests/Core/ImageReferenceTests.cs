using Berth.Core.Errors;
using Berth.Core.Images;

namespace Berth.Tests.Core;

public sealed class ImageReferenceTests
{
    private const string Sha = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    [Theory]
    [InlineData("busybox", "docker.io", "library/busybox", null, null, "busybox")]
    [InlineData("busybox:1.36", "docker.io", "library/busybox", "1.36", null, "busybox:1.36")]
    [InlineData("user/app", "docker.io", "user/app", null, null, "user/app")]
    [InlineData("docker.io/library/busybox:latest", "docker.io", "library/busybox", "latest", null, "busybox:latest")]
    [InlineData("index.docker.io/library/busybox", "docker.io", "library/busybox", null, null, "busybox")]
    [InlineData("localhost:5000/x", "localhost:5000", "x", null, null, "localhost:5000/x")]
    [InlineData("localhost/x:1", "localhost", "x", "1", null, "localhost/x:1")]
    [InlineData("registry.example.com/a/b/c:v1", "registry.example.com", "a/b/c", "v1", null, "registry.example.com/a/b/c:v1")]
    [InlineData("127.0.0.1:5000/x", "127.0.0.1:5000", "x", null, null, "127.0.0.1:5000/x")]
    [InlineData("[::1]:5000/x", "[::1]:5000", "x", null, null, "[::1]:5000/x")]
    [InlineData("Example.com/x", "Example.com", "x", null, null, "Example.com/x")]
    [InlineData("a.b-c__d--e", "docker.io", "library/a.b-c__d--e", null, null, "a.b-c__d--e")]
    [InlineData("x@" + Sha, "docker.io", "library/x", null, Sha, "x@" + Sha)]
    [InlineData("x:tag@" + Sha, "docker.io", "library/x", "tag", Sha, "x:tag@" + Sha)]
    [InlineData("localhost:5000/x@" + Sha, "localhost:5000", "x", null, Sha, "localhost:5000/x@" + Sha)]
    public void Parse_Valid_Normalizes(string s, string domain, string path, string? tag, string? digest, string familiar)
    {
        var r = ImageReference.Parse(s);
        Assert.Equal(new ImageReference(domain, path, tag, digest), r);
        Assert.Equal(familiar, r.ToString());
        Assert.True(ImageReference.TryParse(s, out var again));
        Assert.Equal(r, again);
    }

    [Theory]
    [InlineData("Foo", "invalid reference format: repository name (library/Foo) must be lowercase")]
    [InlineData("user/Foo:tag", "invalid reference format: repository name (user/Foo) must be lowercase")]
    [InlineData("", "invalid reference format")]
    [InlineData("a:b:c", "invalid reference format")]
    [InlineData("-x", "invalid reference format")]
    [InlineData("x/", "invalid reference format")]
    [InlineData("x:", "invalid reference format")]
    [InlineData("x@sha256:abc", "invalid reference format")]
    [InlineData("x@sha256:" + "zz34567890123456789012345678901234567890123456789012345678901234", "invalid reference format")]
    [InlineData("x:-tag", "invalid reference format")]
    [InlineData("a//b", "invalid reference format")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "invalid repository name (e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855), cannot specify 64-byte hexadecimal strings")]
    public void Parse_Invalid_ThrowsDockerMessage(string s, string message)
    {
        var e = Assert.Throws<InvalidArgumentException>(() => ImageReference.Parse(s));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
        Assert.False(ImageReference.TryParse(s, out _));
    }

    [Fact]
    public void Parse_TooLong_Throws()
    {
        var e = Assert.Throws<InvalidArgumentException>(() => ImageReference.Parse(new string('a', 256)));
        Assert.Contains("must not be more than 255 characters", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TagTooLong_Throws() => Assert.Throws<InvalidArgumentException>(() => ImageReference.Parse("x:" + new string('a', 129)));

    [Theory]
    [InlineData("busybox", "docker.io/library/busybox:latest", "busybox:latest")]
    [InlineData("busybox:1", "docker.io/library/busybox:1", "busybox:1")]
    [InlineData("x@" + Sha, "docker.io/library/x@" + Sha, "x@" + Sha)]
    public void WithDefaultTag_AddsLatestOnlyWhenUntagged(string s, string full, string familiar)
    {
        var r = ImageReference.Parse(s).WithDefaultTag();
        Assert.Equal(full, r.FullReference);
        Assert.Equal(familiar, r.ToString());
    }

    [Theory]
    [InlineData("busybox", "docker.io/library/busybox", "busybox")]
    [InlineData("user/x", "docker.io/user/x", "user/x")]
    [InlineData("library/a/b", "docker.io/library/a/b", "library/a/b")]
    [InlineData("localhost:5000/x", "localhost:5000/x", "localhost:5000/x")]
    public void Names_FullAndFamiliar(string s, string full, string familiar)
    {
        var r = ImageReference.Parse(s);
        Assert.Equal(full, r.FullName);
        Assert.Equal(familiar, r.FamiliarName);
    }
}

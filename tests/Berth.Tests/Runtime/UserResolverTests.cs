using Berth.Core.Errors;
using Berth.Runtime.Oci;

namespace Berth.Tests.Runtime;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class UserResolverTests
{
    private static readonly string[] s_passwd =
    [
        "root:x:0:0:root:/root:/bin/sh",
        "app:x:1000:1001:App:/home/app:/bin/sh",
        "# comment",
        "broken-line",
    ];

    private static readonly string[] s_group = ["root:x:0:", "staff:x:50:app,other", "apps:x:1001:", "docker:x:999:other,app"];

    [Theory]
    [InlineData("", 0u, 0u, "/root")]
    [InlineData("0", 0u, 0u, "/root")]
    [InlineData("app", 1000u, 1001u, "/home/app")]
    [InlineData("1000", 1000u, 1001u, "/home/app")]
    [InlineData("app:staff", 1000u, 50u, "/home/app")]
    [InlineData("1000:7", 1000u, 7u, "/home/app")]
    [InlineData("4242", 4242u, 0u, "/")]
    [InlineData("4242:4243", 4242u, 4243u, "/")]
    public void Resolve_Forms(string user, uint uid, uint gid, string home)
    {
        var r = UserResolver.Resolve(user, null, s_passwd, s_group);
        Assert.Equal((uid, gid, home), (r.Uid, r.Gid, r.Home));
    }

    [Fact]
    public void Resolve_NameWithoutGroup_AddsMemberGroups()
        => Assert.Equal([50u, 999u], UserResolver.Resolve("app", null, s_passwd, s_group).AdditionalGids);

    [Fact]
    public void Resolve_ExplicitGroup_NoMemberGroups_ButAdditionalGroups()
        => Assert.Equal([999u, 12u], UserResolver.Resolve("app:apps", ["docker", "12"], s_passwd, s_group).AdditionalGids);

    [Fact]
    public void Resolve_UnknownName_ThrowsDockerMessage()
    {
        var e = Assert.Throws<InvalidArgumentException>(() => UserResolver.Resolve("nobody", null, s_passwd, s_group));
        Assert.Equal("unable to find user nobody: no matching entries in passwd file", e.Message);
    }

    [Fact]
    public void Resolve_UnknownGroup_Throws()
        => Assert.Throws<InvalidArgumentException>(() => UserResolver.Resolve("app:nogroup", null, s_passwd, s_group));
}

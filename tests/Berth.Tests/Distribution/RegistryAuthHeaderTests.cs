using System.Text;
using Berth.Api.Endpoints;

namespace Berth.Tests.Distribution;

public sealed class RegistryAuthHeaderTests
{
    private static string B64Url(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [Fact]
    public void Decode_CliAnonymous_Null() => Assert.Null(RegistryAuthHeader.Decode("e30="));

    [Fact]
    public void Decode_UserPassword_Unpadded() =>
        Assert.Equal(("alice", "pw?>"), Pair(RegistryAuthHeader.Decode(B64Url("{\"username\":\"alice\",\"password\":\"pw?>\",\"serveraddress\":\"x:5000\"}"))));

    [Fact]
    public void Decode_AuthField_SplitsUserPassword() =>
        Assert.Equal(("bob", "s:cret"), Pair(RegistryAuthHeader.Decode(B64Url("{\"auth\":\"" + Convert.ToBase64String(Encoding.UTF8.GetBytes("bob:s:cret")) + "\"}"))));

    [Fact]
    public void Decode_Garbage_IgnoredAsMobyDoes() => Assert.Null(RegistryAuthHeader.Decode("!!notbase64!!"));

    private static (string?, string?) Pair(Berth.Distribution.Auth.RegistryCredentials? c) => (c?.Username, c?.Password);
}

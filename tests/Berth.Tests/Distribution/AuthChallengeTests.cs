using Berth.Distribution;
using Berth.Distribution.Auth;

namespace Berth.Tests.Distribution;

public sealed class AuthChallengeTests
{
    [Fact]
    public void Parse_Bearer_ReadsQuotedParameters()
    {
        var c = AuthChallenge.Parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/alpine:pull\"")!;
        Assert.Equal("Bearer", c.Scheme);
        Assert.Equal("https://auth.docker.io/token", c["realm"]);
        Assert.Equal("registry.docker.io", c["service"]);
        Assert.Equal("repository:library/alpine:pull", c["scope"]);
    }

    [Fact]
    public void Parse_Basic_RealmOnly()
    {
        var c = AuthChallenge.Parse("Basic realm=\"Registry Realm\"")!;
        Assert.Equal("Basic", c.Scheme);
        Assert.Equal("Registry Realm", c["realm"]);
    }

    [Theory]
    [InlineData("localhost:5000", "http://localhost:5000/")]
    [InlineData("127.0.0.1:5000", "http://127.0.0.1:5000/")]
    [InlineData("[::1]:5000", "http://[::1]:5000/")]
    [InlineData("registry.example.com", "https://registry.example.com/")]
    [InlineData("docker.io", "https://registry-1.docker.io/")]
    [InlineData("insecure.example:5000", "http://insecure.example:5000/")]
    public void Resolve_PicksSchemeByLoopbackAndConfig(string name, string expected)
    {
        var options = new RegistryOptions { InsecureRegistries = ["insecure.example:5000"] };
        Assert.Equal(expected, RegistryEndpoint.Resolve(name, options).BaseUri.ToString());
    }

    [Theory]
    [InlineData("https://index.docker.io/v1/", "docker.io")]
    [InlineData("http://127.0.0.1:5000", "127.0.0.1:5000")]
    [InlineData("127.0.0.1:5000/", "127.0.0.1:5000")]
    [InlineData("Registry.Example.com", "registry.example.com")]
    public void NormalizeName_AsDockerLogin(string address, string expected) => Assert.Equal(expected, RegistryEndpoint.NormalizeName(address));
}

using Berth.Registry.Auth;

namespace Berth.Tests.Registry;

public sealed class BcryptTests
{
    [Theory]
    // Openwall crypt_blowfish's published test vectors.
    [InlineData("U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW")]
    [InlineData("U*U*", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK")]
    [InlineData("U*U*U", "$2a$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a")]
    [InlineData("", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy")]
    // Written by Debian's htpasswd -nbB alice wonderland.
    [InlineData("wonderland", "$2y$05$iQJDH1Ep3tjuJkq9aUQwF.uGpDIfU8eycr4q2mUWsZYMrcevUc14y")]
    public void Verify_KnownVector_True(string password, string hash) => Assert.True(Bcrypt.Verify(password, hash));

    [Fact]
    public void Verify_WrongPassword_False() => Assert.False(Bcrypt.Verify("U*U!", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"));

    [Theory]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData("$1$abc$def")]
    [InlineData("$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOe")]
    public void Verify_Malformed_False(string hash) => Assert.False(Bcrypt.Verify("U*U", hash));

    [Fact]
    public void Hash_RoundTrips_AsY()
    {
        var h = Bcrypt.Hash("s3cret", cost: 4);
        Assert.StartsWith("$2y$04$", h);
        Assert.True(Bcrypt.Verify("s3cret", h));
        Assert.False(Bcrypt.Verify("s3cret ", h));
    }
}

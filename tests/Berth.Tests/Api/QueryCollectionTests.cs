using Berth.Api.Http;

namespace Berth.Tests.Api;

public sealed class QueryCollectionTests
{
    [Theory]
    [InlineData("all=1", true)]
    [InlineData("all=true", true)]
    [InlineData("all=True", true)]
    [InlineData("all=yes", true)]
    [InlineData("all=", false)]
    [InlineData("all", false)]
    [InlineData("all=0", false)]
    [InlineData("all=no", false)]
    [InlineData("all=FALSE", false)]
    [InlineData("all=none", false)]
    [InlineData("all=%20false%20", false)]
    [InlineData("other=1", true)]   // absent: the default
    public void GetBool_FollowsMobyBoolValue(string query, bool expected) =>
        Assert.Equal(expected, QueryCollection.Parse(query).GetBool("all", defaultValue: true));

    [Fact]
    public void Parse_DecodesAndKeepsRepeatsInOrder()
    {
        var q = QueryCollection.Parse("filters=%7B%22label%22%3A%5B%22a%3Db%22%5D%7D&tag=x&tag=y+z&&empty=&flag");
        Assert.Equal("{\"label\":[\"a=b\"]}", q.Get("filters"));
        Assert.Equal(["x", "y z"], q.GetAll("tag"));
        Assert.Equal("", q.Get("empty"));
        Assert.True(q.Has("flag"));
        Assert.Null(q.Get("Tag"));   // names are case-sensitive, as in Go
        Assert.Equal(-5, QueryCollection.Parse("t=-5").GetInt("t", 10));
        Assert.Equal(10, QueryCollection.Parse("t=").GetInt("t", 10));
        Assert.Throws<FormatException>(() => QueryCollection.Parse("t=1.5").GetLong("t"));
    }
}

using Berth.Core.Errors;
using Berth.Services;

namespace Berth.Tests.Services;

public sealed class FiltersTests
{
    [Theory]
    [InlineData("{\"label\":{\"a=b\":true}}")]
    [InlineData("{\"label\":[\"a=b\"]}")]
    public void Parse_BothEncodings_GiveTheSameValues(string json)
    {
        var filters = Filters.Parse(json);
        Assert.Equal(["a=b"], filters["label"]);
    }

    [Fact]
    public void Parse_Empty_IsNoFilter() => Assert.Empty(Filters.Parse(""));

    [Fact]
    public void Parse_Malformed_ThrowsInvalidArgument() => Assert.Throws<InvalidArgumentException>(() => Filters.Parse("{nope"));

    [Fact]
    public void Validate_UnknownKey_UsesDockersText()
    {
        var ex = Assert.Throws<InvalidArgumentException>(() => Filters.Validate(Filters.Parse("{\"colour\":[\"red\"]}"), "label"));
        Assert.Equal("invalid filter 'colour'", ex.Message);
    }
}

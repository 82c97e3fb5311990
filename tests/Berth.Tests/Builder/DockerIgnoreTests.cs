using Berth.Builder.Dockerfile;

namespace Berth.Tests.Builder;

/// <summary>Each .dockerignore rule, with Docker's results (moby/patternmatcher MatchesOrParentMatches).</summary>
public sealed class DockerIgnoreTests
{
    [Theory]
    [InlineData("*.go", "main.go", true)]
    [InlineData("*.go", "pkg/main.go", false)]          // * never crosses /
    [InlineData("*/*.go", "pkg/main.go", true)]
    [InlineData("**/*.go", "a/b/c/main.go", true)]       // ** crosses directories
    [InlineData("**/*.go", "main.go", true)]            // ... including none
    [InlineData("**/node_modules", "node_modules", true)]
    [InlineData("**/node_modules", "web/node_modules/x/y.js", true)]
    [InlineData("a/**", "a/b/c", true)]
    [InlineData("a/**/z", "a/z", true)]
    [InlineData("a/**/z", "a/b/c/z", true)]
    [InlineData("?.txt", "a.txt", true)]
    [InlineData("?.txt", "ab.txt", false)]
    [InlineData("[ab].txt", "b.txt", true)]
    [InlineData("[!ab].txt", "c.txt", false)]            // filepath.Match negation is ^, ! is literal
    [InlineData("[^ab].txt", "c.txt", true)]
    [InlineData("dir", "dir/sub/file", true)]           // a matching parent directory excludes its content
    [InlineData("/abs/path", "abs/path", true)]         // leading / is relative to the context
    [InlineData("./x/../y", "y", true)]                 // patterns are cleaned
    [InlineData("a.b", "axb", false)]                   // regex metacharacters are literal
    [InlineData("\\*.md", "*.md", true)]               // escapes
    [InlineData("docs", "docsx", false)]
    public void Matches_SinglePattern(string pattern, string path, bool excluded) =>
        Assert.Equal(excluded, new DockerIgnore(DockerIgnore.ReadPatterns(pattern)).Matches(path));

    [Theory]
    [InlineData("*.md\n!README.md", "README.md", false)]
    [InlineData("*.md\n!README.md", "CHANGES.md", true)]
    [InlineData("!README.md\n*.md", "README.md", true)]   // order matters: the last match wins
    [InlineData("docs\n!docs/keep.txt", "docs/keep.txt", false)]
    [InlineData("docs\n!docs/keep.txt", "docs/drop.txt", true)]
    [InlineData("**\n!src\n!src/**", "src/a/b.c", false)]
    [InlineData("**\n!src", "other", true)]
    [InlineData("# comment\n\n  *.log  \n", "x.log", true)]
    [InlineData("# comment\n", "# comment", false)]
    public void Matches_Exceptions_AndOrder(string file, string path, bool excluded) =>
        Assert.Equal(excluded, new DockerIgnore(DockerIgnore.ReadPatterns(file)).Matches(path));

    [Fact]
    public void ReadPatterns_NormalizesAsDocker() =>
        Assert.Equal(["a/b", "!c", "d", "e/f"], DockerIgnore.ReadPatterns("\uFEFF/a/b/\n! /c\n#x\n d \r\ne//f"));

    [Fact]
    public void Constructor_BareExclamation_Throws() => Assert.Throws<ArgumentException>(() => new DockerIgnore(["!"]));

    [Fact]
    public void Matches_WalkerForm_UsesParentResults()
    {
        var ignore = new DockerIgnore(DockerIgnore.ReadPatterns("build\n!build/keep"));
        Assert.True(ignore.HasExclusions);
        Assert.True(ignore.Matches("build", [], out var parent));
        Assert.True(ignore.Matches("build/other", parent, out _));
        Assert.False(ignore.Matches("build/keep", parent, out _));
    }
}

using Berth.Compose;

namespace Berth.Tests.Compose;

/// <summary><c>-f -</c>: the Compose file comes from standard input and the project lives in the working directory.</summary>
public sealed class StdinFileTests : IDisposable
{
    private readonly ComposeTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private const string Yaml = "services:\n  web:\n    image: busybox\n    volumes:\n      - ./site:/www\n    env_file: app.env\n";

    [Fact]
    public async Task Stdin_Alone_ProjectIsTheWorkingDirectory()
    {
        _dir.Write("app.env", "FROM_ENV_FILE=yes\n");
        var p = await _dir.LoadAsync(_dir.Options() with { ConfigFiles = ["-"], Stdin = new StringReader(Yaml) });
        Assert.Equal(_dir.Root, p.WorkingDir);
        Assert.Equal("proj", p.Name);
        Assert.Equal(["-"], p.ConfigFiles);
        Assert.Equal(Path.Join(_dir.Root, "site"), p.Services["web"].Volumes[0].Source);
        Assert.Equal("yes", p.Services["web"].Environment["FROM_ENV_FILE"]);
    }

    [Fact]
    public async Task Stdin_WithAnotherFile_ProjectIsThatFilesDirectory_AndFilesMergeInOrder()
    {
        var over = _dir.Write("sub/override.yaml", "services:\n  web:\n    image: busybox:override\n");
        var p = await _dir.LoadAsync(_dir.Options() with
        {
            ConfigFiles = ["-", "sub/override.yaml"],
            Stdin = new StringReader("services:\n  web:\n    image: busybox\n    command: [\"true\"]\n"),
        });
        Assert.Equal(Path.GetDirectoryName(over), p.WorkingDir);
        Assert.Equal("busybox:override", p.Services["web"].Image);
        Assert.Equal(["true"], p.Services["web"].Command);
        Assert.Equal(["-", over], p.ConfigFiles);
    }

    [Fact]
    public async Task Stdin_Malformed_ErrorNamesStdinAndLine()
    {
        var ex = await Assert.ThrowsAsync<ComposeException>(() => _dir.LoadAsync(_dir.Options() with
        {
            ConfigFiles = ["-"],
            Stdin = new StringReader("services:\n  web:\n    image: busybox\n    ports: 8080\n"),
        }));
        Assert.Contains("-:4", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ports", ex.Message, StringComparison.Ordinal);
    }
}

using System.Text;
using Berth.Distribution.Transfer;
using Berth.Services.Images;

namespace Berth.Tests.Services.Images;

public sealed class ProgressJsonTests
{
    private static string Text(byte[] b) => Encoding.UTF8.GetString(b);

    [Fact]
    public void Progress_PullingFrom_StatusAndId()
        => Assert.Equal("{\"status\":\"Pulling from library/alpine\",\"id\":\"latest\"}\r\n", Text(ProgressJson.Progress(new ProgressEvent("latest", "Pulling from library/alpine"))));

    [Fact]
    public void Progress_LayerState_HasEmptyProgressDetail()
        => Assert.Equal("{\"status\":\"Pulling fs layer\",\"progressDetail\":{},\"id\":\"f18232174bc9\"}\r\n",
            Text(ProgressJson.Progress(new ProgressEvent("f18232174bc9", "Pulling fs layer", Detail: true))));

    [Fact]
    public void Progress_Downloading_CurrentTotalAndBar()
    {
        var line = Text(ProgressJson.Progress(new ProgressEvent("f18232174bc9", "Downloading", 1024, 3642881)));
        Assert.StartsWith("{\"status\":\"Downloading\",\"progressDetail\":{\"current\":1024,\"total\":3642881},\"progress\":\"[>", line);
        Assert.EndsWith("1.024kB/3.643MB\",\"id\":\"f18232174bc9\"}\r\n", line);
    }

    [Fact]
    public void PushAux_DockerShape()
        => Assert.Equal("{\"progressDetail\":{},\"aux\":{\"Tag\":\"1\",\"Digest\":\"sha256:ab\",\"Size\":528}}\r\n", Text(ProgressJson.PushAux("1", "sha256:ab", 528)));

    [Fact]
    public void Error_HasDetailAndDeprecatedField()
        => Assert.Equal("{\"errorDetail\":{\"message\":\"boom\"},\"error\":\"boom\"}\r\n", Text(ProgressJson.Error("boom")));

    [Theory]
    [InlineData(0, "0B")]
    [InlineData(528, "528B")]
    [InlineData(1024, "1.024kB")]
    [InlineData(3642881, "3.643MB")]
    [InlineData(100_000_000, "100MB")]
    public void HumanSize_AsGoUnits(long n, string expected) => Assert.Equal(expected, ProgressJson.HumanSize(n));
}

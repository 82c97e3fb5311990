using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Images;

/// <summary>
/// <c>berth pull/push/load</c> under a pseudo-terminal (<c>script</c>) draw docker's per-layer progress: each layer's line erased
/// and redrawn in place with a bar, then its final status; with stdout not a terminal, plain lines without escapes or bars.
/// </summary>
[Collection(DaemonCollection.Name)]
public sealed class ProgressDisplayTests(DaemonFixture daemon)
{
    private const string Script = "/usr/bin/script";
    private const string Redraw = "\u001b[2K\r";

    [RootFact(E2E.Docker, Script)]
    public async Task PullPushLoad_OnATerminal_DrawPerLayerBars_PlainOtherwise()
    {
        await using var registry = await RegistryProcess.StartAsync();
        var image = await ImageMaker.MakeAsync(daemon, $"{registry.Address}/progress/img:v1");
        var archive = Path.Join(daemon.TempRoot, "progress-" + Guid.NewGuid().ToString("N")[..8] + ".tar");
        try
        {
            var push = await OnTerminalAsync("push", image);
            Assert.Matches(@"\u001b\[2K\r[0-9a-f]{12}: Pushing \[=*>? *\] +[0-9.]+[kM]?B/[0-9.]+[kM]?B\r", push);
            Assert.Matches(@"\u001b\[2K\r[0-9a-f]{12}: Pushed \r", push);
            Assert.Contains("v1: digest: sha256:", push);

            (await daemon.RunDockerAsync(["rmi", image])).Ok("rmi");
            var pull = await OnTerminalAsync("pull", image);
            Assert.Matches(@"\u001b\[2K\r[0-9a-f]{12}: Downloading \[=*>? *\] +[0-9.]+[kM]?B/[0-9.]+[kM]?B\r", pull);
            Assert.Matches(@"\u001b\[[0-9]+A\u001b\[2K\r[0-9a-f]{12}: Pull complete \r\u001b\[[0-9]+B", pull);
            Assert.Contains("Status: Downloaded newer image for " + image, pull);

            (await daemon.RunDockerAsync(["save", "-o", archive, image])).Ok("save");
            (await daemon.RunDockerAsync(["rmi", image])).Ok("rmi again");
            var load = await OnTerminalAsync("load", "-i", archive);
            Assert.Matches(@"\u001b\[2K\r[0-9a-f]{12}: Loading layer \[=*>? *\] +[0-9.]+[kM]?B/[0-9.]+[kM]?B\r", load);
            Assert.Contains("Loaded image: " + image, load);

            // Not a terminal: one plain line per status, no escapes, no bars.
            (await daemon.RunDockerAsync(["rmi", image])).Ok("rmi before the plain pull");
            var plain = (await daemon.RunBerthAsync(["pull", image])).Ok("plain pull");
            Assert.DoesNotContain("\u001b", plain.Stdout);
            Assert.DoesNotContain("Downloading", plain.Stdout);
            Assert.Matches(@"(?m)^[0-9a-f]{12}: Pull complete$", plain.Stdout);
        }
        finally
        {
            File.Delete(archive);
            await daemon.RunDockerAsync(["rmi", "-f", image]);
        }
    }

    // Runs `berth ARGS` with a pseudo-terminal for stdin and stdout (util-linux script; the typescript goes to /dev/null).
    private async Task<string> OnTerminalAsync(params string[] args)
    {
        var command = string.Join(' ', new[] { RepoPaths.Berth }.Concat(args).Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        var result = (await daemon.RunAsync(Script, ["-q", "-e", "-f", "-c", command, "/dev/null"], timeout: TimeSpan.FromMinutes(2))).Ok("berth " + args[0] + " under script");
        return result.Stdout;
    }
}

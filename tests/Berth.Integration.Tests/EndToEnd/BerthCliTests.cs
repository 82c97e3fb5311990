using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.EndToEnd;

/// <summary>Our own CLI against the daemon, for the commands people try first.</summary>
[Collection(DaemonCollection.Name)]
public sealed class BerthCliTests(DaemonFixture daemon)
{
    [RootFact]
    public async Task Images_QuietBusybox_ListsOfflineImage()
    {
        var r = (await daemon.RunBerthAsync(["images", "-q", "busybox"])).Ok("berth images -q busybox");
        Assert.NotEqual("", r.Stdout.Trim());
    }

    [RootFact]
    public async Task Run_Echo_PrintsOutput()
    {
        var r = (await daemon.RunBerthAsync(["run", "--rm", "busybox", "echo", "hi"])).Ok("berth run --rm busybox echo hi");
        Assert.Equal("hi\n", r.Stdout);
    }

    [RootFact]
    public async Task PsAll_FormatNames_ListsExitedContainer()
    {
        var name = E2E.UniqueName("ps");
        try
        {
            (await daemon.RunBerthAsync(["run", "--name", name, "busybox", "true"])).Ok("berth run --name");
            var ps = (await daemon.RunBerthAsync(["ps", "-a", "--format", "{{.Names}}"])).Ok("berth ps -a");
            Assert.Contains(name, ps.Stdout.Split('\n'));
            (await daemon.RunBerthAsync(["rm", name])).Ok("berth rm");
            var after = (await daemon.RunBerthAsync(["ps", "-a", "--format", "{{.Names}}"])).Ok("berth ps -a after rm");
            Assert.DoesNotContain(name, after.Stdout.Split('\n'));
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(name);
        }
    }

    [RootFact]
    public async Task Diff_StoppedContainer_ListsWhatItAddedChangedAndDeleted()
    {
        var name = E2E.UniqueName("diff");
        try
        {
            (await daemon.RunBerthAsync(["run", "--name", name, "busybox", "sh", "-c", "mkdir /made && echo x > /made/f && rm /bin/cat"])).Ok("berth run");
            var diff = (await daemon.RunBerthAsync(["diff", name])).Ok("berth diff").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(["C /bin", "D /bin/cat", "A /made", "A /made/f"], diff);
            var missing = await daemon.RunBerthAsync(["diff", "no-such-" + name]);
            Assert.Equal(1, missing.ExitCode);
            Assert.Contains("No such container: no-such-" + name, missing.Stderr);
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(name);
        }
    }
}

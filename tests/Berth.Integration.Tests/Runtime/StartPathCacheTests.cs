using System.Text.Json.Nodes;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Runtime;

/// <summary>
/// The start-path shortcuts must not weaken a container: the second container of a seccomp profile gets crun's compiled
/// filter through the run.oci.seccomp_bpf_data annotation instead of a fresh compile, and must be confined exactly as
/// the first; crun runs from the daemon's sealed copy.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class StartPathCacheTests
{
    [RootFact]
    public async Task SecondContainerOfAProfile_UsesTheCachedFilter_AndIsStillConfined()
    {
        await using var h = new RuntimeHarness();
        await h.InitializeAsync();
        const string Script = "unshare -U true; echo rc=$?; grep '^Seccomp:' /proc/self/status";
        var first = h.Launch(["sh", "-c", Script]);
        var (out1, _, _) = await h.RunAsync(first);
        var second = h.Launch(["sh", "-c", Script]);
        var (out2, err2, _) = await h.RunAsync(second);

        Assert.Equal("rc=1\nSeccomp:\t2\n", out1);
        Assert.Equal("rc=1\nSeccomp:\t2\n", out2);
        Assert.Contains("Operation not permitted", err2);
        var firstSpec = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(first.BundleDir, "config.json")))!;
        var secondSpec = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(second.BundleDir, "config.json")))!;
        Assert.Null(firstSpec["annotations"]?["run.oci.seccomp_bpf_data"]);
        var bpf = Convert.FromBase64String(secondSpec["annotations"]!["run.oci.seccomp_bpf_data"]!.GetValue<string>());
        Assert.True(bpf.Length > 0 && bpf.Length % 8 == 0, $"a BPF program is whole 8-byte instructions, got {bpf.Length} bytes");
        // The spec keeps its seccomp section (crun takes the flags from it).
        Assert.NotNull(secondSpec["linux"]?["seccomp"]);
    }

    [RootFact]
    public async Task Unconfined_GetsNoCachedFilter()
    {
        await using var h = new RuntimeHarness();
        await h.InitializeAsync();
        await h.RunAsync(h.Launch(["true"]));   // a default profile in the cache
        var launch = h.Launch(["sh", "-c", "unshare -U true; echo rc=$?"], security: new Berth.Runtime.SecurityOptions(SeccompProfilePath: "unconfined"));
        var (stdout, _, _) = await h.RunAsync(launch);
        Assert.Equal("rc=0\n", stdout);
        var spec = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(launch.BundleDir, "config.json")))!;
        Assert.Null(spec["annotations"]?["run.oci.seccomp_bpf_data"]);
    }
}

using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Build;

/// <summary>
/// <c>RUN --mount</c> targets leave nothing in the step's layer, as in BuildKit (executor/stubs.go): the runtime makes each mount
/// point, and its missing parents, in the container's root; the builder takes out what it made and left empty, and keeps what
/// the step wrote next to it and what the image already had. Each test reads the committed layer's tar entries.
/// </summary>
[Collection(DaemonCollection.Name)]
public sealed class BuildMountStubTests(DaemonFixture daemon)
{
    [RootFact(E2E.Docker)]
    public async Task RunMounts_LeaveNoPlaceholdersInTheLayer()
    {
        await using var ctx = new BuildContext(daemon, "stub");
        var secretFile = Path.Join(daemon.TempRoot, "stub-secret-" + Guid.NewGuid().ToString("N")[..8]);
        await File.WriteAllTextAsync(secretFile, "not for layers");
        // busybox has /etc and /tmp but no /run, /var/cache or /deep: every kind of mount point, new chains and existing parents.
        ctx.File("Dockerfile", $"""
            FROM busybox
            RUN --mount=type=cache,id={Guid.NewGuid():N},target=/deep/er/cache \
                --mount=type=tmpfs,target=/etc/scratch \
                --mount=type=secret,id=tok \
                --mount=type=secret,id=tok,target=/etc/app/token \
                cat /run/secrets/tok /etc/app/token > /dev/null && touch /deep/er/cache/in-cache /etc/scratch/in-tmpfs && echo m > /marker
            """);
        var tag = ctx.Tag("s");
        try
        {
            (await BerthBuildAsync(ctx, secretFile, "-t", tag)).Ok("berth build");
            Assert.Equal(["marker"], await TopLayerEntriesAsync(tag));
            var ls = (await daemon.RunDockerAsync(["run", "--rm", tag, "sh", "-c", "ls -d /deep /run /etc/scratch /etc/app 2>&1"])).Stdout;
            foreach (var gone in new[] { "/deep", "/run", "/etc/scratch", "/etc/app" })
                Assert.Contains($"ls: {gone}: No such file or directory", ls, StringComparison.Ordinal);
        }
        finally { File.Delete(secretFile); }
    }

    [RootFact(E2E.Docker)]
    public async Task RunMounts_KeepWhatTheStepWroteBesideThem_AndWhatTheImageHad()
    {
        await using var ctx = new BuildContext(daemon, "stub2");
        ctx.File("Dockerfile", $"""
            FROM busybox
            RUN mkdir -p /pre/existing && echo keep > /pre/file
            RUN --mount=type=tmpfs,target=/pre/existing --mount=type=cache,id={Guid.NewGuid():N},target=/work/cache \
                echo beside > /work/file && touch /pre/existing/gone
            """);
        var tag = ctx.Tag("k");
        (await ctx.DockerBuildAsync("-t", tag)).Ok("docker build");
        // The step wrote /work/file: /work stays with it, the empty mount point /work/cache goes; /pre (unchanged) is not in the layer.
        Assert.Equal(["work/", "work/file"], await TopLayerEntriesAsync(tag));
        var ls = (await daemon.RunDockerAsync(["run", "--rm", tag, "sh", "-c", "ls -A /pre /pre/existing /work"])).Ok("ls").Stdout;
        Assert.Equal("/pre:\nexisting\nfile\n\n/pre/existing:\n\n/work:\nfile\n", ls);
    }

    private Task<CommandResult> BerthBuildAsync(BuildContext ctx, string secretFile, params string[] args) =>
        ProcessRunner.RunAsync(RepoPaths.Berth, ["-H", daemon.DockerHost, "build", "--secret", $"id=tok,src={secretFile}", .. args, ctx.Dir],
            daemon.ClientEnvironment, null, TimeSpan.FromMinutes(2));

    private Task<List<string>> TopLayerEntriesAsync(string tag) => TopLayerEntriesAsync(daemon, tag);

    /// <summary>The entry names of the image's last layer, from <c>docker save</c>, sorted.</summary>
    internal static async Task<List<string>> TopLayerEntriesAsync(DaemonFixture daemon, string tag)
    {
        var archive = Path.Join(daemon.TempRoot, "stub-save-" + Guid.NewGuid().ToString("N")[..8] + ".tar");
        (await daemon.RunDockerAsync(["save", "-o", archive, tag])).Ok("save");
        try
        {
            var manifest = JsonNode.Parse(TarArchive.ReadEntry(archive, "manifest.json"))!.AsArray();
            var layer = manifest[0]!["Layers"]!.AsArray()[^1]!.GetValue<string>();
            var names = new List<string>();
            var bytes = TarArchive.ReadEntry(archive, layer);
            using var blob = new MemoryStream(bytes);
            Stream tar = bytes.Length > 2 && bytes[0] == 0x1f && bytes[1] == 0x8b ? new GZipStream(blob, CompressionMode.Decompress) : blob;
            using var reader = new TarReader(tar);
            while (reader.GetNextEntry() is { } e) names.Add(e.Name.TrimStart('.', '/'));
            names.Sort(StringComparer.Ordinal);
            return names;
        }
        finally { File.Delete(archive); }
    }
}

using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Images;

/// <summary>
/// Images with zstd layers, written by skopeo (<c>--dest-compress-format zstd</c>) into Debian's docker-registry and into an OCI
/// archive: pulled by berthd with the real docker CLI and run, saved and loaded back; a corrupted zstd layer is a digest error.
/// </summary>
[Collection(DaemonCollection.Name)]
public sealed class ZstdImageTests(DaemonFixture daemon)
{
    private const string Skopeo = "/usr/bin/skopeo";

    /// <summary>A fresh one-layer image, saved by berthd and copied by skopeo to <paramref name="destination"/> with zstd layers.</summary>
    private async Task<string> CopyAsZstdAsync(string marker, string destination)
    {
        var local = await ImageMaker.MakeAsync(daemon, $"zstd-src-{marker}:v1");
        var tar = Path.Join(daemon.TempRoot, $"zstd-src-{marker}.tar");
        try
        {
            (await daemon.RunDockerAsync(["save", "-o", tar, local])).Ok("save");
            (await ProcessRunner.RunAsync(Skopeo, ["copy", "--dest-tls-verify=false", "--dest-compress", "--dest-compress-format", "zstd",
                $"docker-archive:{tar}", destination])).Ok("skopeo copy with zstd layers");
            return (await daemon.RunDockerAsync(["run", "--rm", local])).Ok("run the source image").Stdout;
        }
        finally
        {
            File.Delete(tar);
            await daemon.RunDockerAsync(["rmi", "-f", local]);
        }
    }

    [RootFact(E2E.Docker, Skopeo, DistributionRegistryProcess.Binary)]
    public async Task PullRunSaveLoad_ZstdLayersFromDockerRegistry()
    {
        await using var registry = await DistributionRegistryProcess.StartAsync();
        var marker = Guid.NewGuid().ToString("N")[..10];
        var image = $"{registry.Address}/zstd/img:v1";
        var expected = await CopyAsZstdAsync(marker, "docker://" + image);
        var manifest = (await ProcessRunner.RunAsync(Skopeo, ["inspect", "--raw", "--tls-verify=false", "docker://" + image])).Ok("skopeo inspect").Stdout;
        Assert.Contains("application/vnd.oci.image.layer.v1.tar+zstd", manifest);
        var saved = Path.Join(daemon.TempRoot, $"zstd-saved-{marker}.tar");
        try
        {
            var pull = (await daemon.RunDockerAsync(["pull", image])).Ok("docker pull zstd image");
            Assert.Contains("Pull complete", pull.Stdout);
            Assert.Equal(expected, (await daemon.RunDockerAsync(["run", "--rm", image])).Ok("run pulled zstd image").Stdout);

            // save writes plain layers named by diff id; load reads them back into a runnable image.
            (await daemon.RunDockerAsync(["save", "-o", saved, image])).Ok("save zstd-pulled image");
            (await daemon.RunDockerAsync(["rmi", image])).Ok("rmi");
            (await daemon.RunDockerAsync(["load", "-i", saved])).Ok("load");
            Assert.Equal(expected, (await daemon.RunDockerAsync(["run", "--rm", image])).Ok("run loaded image").Stdout);
        }
        finally
        {
            File.Delete(saved);
            await daemon.RunDockerAsync(["rmi", "-f", image]);
        }
    }

    [RootFact(E2E.Docker, Skopeo)]
    public async Task Load_OciArchiveWithZstdLayers_Runs()
    {
        var marker = Guid.NewGuid().ToString("N")[..10];
        var archive = Path.Join(daemon.TempRoot, $"zstd-oci-{marker}.tar");
        var image = $"zstd-oci-{marker}:v1";
        try
        {
            var expected = await CopyAsZstdAsync(marker, $"oci-archive:{archive}:docker.io/library/{image}");
            var load = (await daemon.RunDockerAsync(["load", "-i", archive])).Ok("load an OCI archive with zstd layers");
            Assert.Contains("Loaded image", load.Stdout);
            Assert.Equal(expected, (await daemon.RunDockerAsync(["run", "--rm", image])).Ok("run loaded zstd image").Stdout);
        }
        finally
        {
            File.Delete(archive);
            await daemon.RunDockerAsync(["rmi", "-f", image]);
        }
    }

    [RootFact(E2E.Docker, Skopeo, DistributionRegistryProcess.Binary)]
    public async Task Pull_CorruptedZstdLayer_DigestErrorAndNothingVisible()
    {
        await using var registry = await DistributionRegistryProcess.StartAsync();
        var marker = Guid.NewGuid().ToString("N")[..10];
        var image = $"{registry.Address}/zstd/bad:v1";
        await CopyAsZstdAsync(marker, "docker://" + image);
        // The registry's copy of the layer (the largest blob: the configs are small), one byte flipped in its middle.
        var blob = Directory.EnumerateFiles(Path.Join(registry.Root, "data"), "data", SearchOption.AllDirectories)
            .Where(f => f.Contains("/blobs/", StringComparison.Ordinal)).MaxBy(f => new FileInfo(f).Length)!;
        var digest = "sha256:" + Path.GetFileName(Path.GetDirectoryName(blob));
        var bytes = await File.ReadAllBytesAsync(blob);
        Assert.Equal([0x28, 0xb5, 0x2f, 0xfd], bytes[..4]);
        bytes[bytes.Length / 2] ^= 0xff;
        await File.WriteAllBytesAsync(blob, bytes);

        var pull = await daemon.RunDockerAsync(["pull", image]);
        Assert.NotEqual(0, pull.ExitCode);
        Assert.Contains($"filesystem layer verification failed for digest {digest}", pull.Stderr + pull.Stdout);
        Assert.Equal("", (await daemon.RunDockerAsync(["images", "-q", image])).Ok("images").Stdout);
        Assert.False(File.Exists(Path.Join(daemon.DataRoot, "content", "blobs", "sha256", digest[7..])));
        Assert.DoesNotContain(Directory.EnumerateDirectories(Path.Join(daemon.DataRoot, "snapshots")), d => Path.GetFileName(d).StartsWith('.'));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Join(daemon.DataRoot, "content", "ingest")));
    }
}

using System.Formats.Tar;
using System.Text.Json.Nodes;
using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Images;

/// <summary><c>docker save</c>/<c>docker load</c> through berthd, and skopeo reading our archives and writing ones we load.</summary>
[Collection(DaemonCollection.Name)]
public sealed class SaveLoadTests(DaemonFixture daemon)
{
    private const string Skopeo = "/usr/bin/skopeo";

    [RootFact(E2E.Docker)]
    public async Task SaveRmiLoad_RoundTrip_ImageRunsAgain()
    {
        var image = await ImageMaker.MakeAsync(daemon, $"it-save/{Guid.NewGuid():N}"[..20] + ":v1");
        var archive = Path.Join(daemon.TempRoot, Guid.NewGuid().ToString("N") + ".tar");
        try
        {
            var before = (await daemon.RunDockerAsync(["run", "--rm", image])).Ok("run before").Stdout;
            (await daemon.RunDockerAsync(["save", "-o", archive, image])).Ok("docker save");
            var names = ReadNames(archive);
            Assert.Contains("manifest.json", names);
            Assert.Contains("index.json", names);
            Assert.Contains("oci-layout", names);
            var manifest = JsonNode.Parse(TarArchive.ReadEntry(archive, "manifest.json"))!.AsArray();
            Assert.Equal(image, manifest[0]!["RepoTags"]![0]!.GetValue<string>());
            var index = JsonNode.Parse(TarArchive.ReadEntry(archive, "index.json"))!;
            Assert.Equal("v1", index["manifests"]![0]!["annotations"]!["org.opencontainers.image.ref.name"]!.GetValue<string>());

            (await daemon.RunDockerAsync(["rmi", image])).Ok("rmi");
            var load = (await daemon.RunDockerAsync(["load", "-i", archive])).Ok("docker load");
            Assert.Contains($"Loaded image: {image}", load.Stdout);
            var after = (await daemon.RunDockerAsync(["run", "--rm", image])).Ok("run after load").Stdout;
            Assert.Equal(before, after);
        }
        finally
        {
            File.Delete(archive);
            await daemon.RunDockerAsync(["rmi", "-f", image]);
        }
    }

    [RootFact(E2E.Docker, Skopeo)]
    public async Task Skopeo_ReadsOurArchive_AndWeLoadSkopeosArchives()
    {
        var image = await ImageMaker.MakeAsync(daemon, $"it-skopeo/{Guid.NewGuid():N}"[..22] + ":v2");
        var dir = Path.Join(daemon.TempRoot, "skopeo-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            var ours = Path.Join(dir, "ours.tar");
            (await daemon.RunDockerAsync(["save", "-o", ours, image])).Ok("docker save");
            var inspect = (await ProcessRunner.RunAsync(Skopeo, ["inspect", "docker-archive:" + ours])).Ok("skopeo inspect docker-archive");
            Assert.Contains("\"Layers\"", inspect.Stdout);
            (await ProcessRunner.RunAsync(Skopeo, ["inspect", "oci-archive:" + ours])).Ok("skopeo inspect oci-archive (our OCI layout)");

            // skopeo writes a docker-archive of its own; we load it under a new name.
            var theirs = Path.Join(dir, "theirs.tar");
            var renamed = image.Replace(":v2", ":from-skopeo", StringComparison.Ordinal);
            (await ProcessRunner.RunAsync(Skopeo, ["copy", "docker-archive:" + ours, $"docker-archive:{theirs}:{renamed}"])).Ok("skopeo copy to docker-archive");
            var load = (await daemon.RunDockerAsync(["load", "-i", theirs])).Ok("load skopeo docker-archive");
            Assert.Contains($"Loaded image: {renamed}", load.Stdout);
            (await daemon.RunDockerAsync(["run", "--rm", renamed])).Ok("run skopeo-written image");

            // And a pure OCI layout (gzip layers, index.json only), tarred up.
            var ociTar = Path.Join(dir, "oci.tar");
            (await ProcessRunner.RunAsync(Skopeo, ["copy", "--dest-compress", "docker-archive:" + ours, $"oci-archive:{ociTar}:{image.Replace(":v2", ":oci", StringComparison.Ordinal)}"])).Ok("skopeo copy to oci-archive");
            var ociLoad = (await daemon.RunDockerAsync(["load", "-i", ociTar])).Ok("load oci-archive");
            Assert.Contains("Loaded image", ociLoad.Stdout);
            await daemon.RunDockerAsync(["rmi", "-f", renamed]);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
            await daemon.RunDockerAsync(["rmi", "-f", image]);
        }
    }

    private static List<string> ReadNames(string tar)
    {
        using var r = new TarReader(File.OpenRead(tar));
        var names = new List<string>();
        while (r.GetNextEntry() is { } e) names.Add(e.Name);
        return names;
    }
}

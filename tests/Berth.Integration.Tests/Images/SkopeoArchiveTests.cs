using System.Formats.Tar;
using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Images;

/// <summary>
/// skopeo reading every blob of what <c>save</c> writes (the OCI layout inside the archive, as <c>oci-archive:</c> and unpacked as
/// <c>oci:</c>, picked by its <c>org.opencontainers.image.ref.name</c>, the tag; one image picked out of a several-image <c>docker-archive:</c>), and <c>load</c> taking skopeo's own
/// <c>oci-archive:</c> (compressed or not) and <c>docker-archive:</c> outputs, each image run afterwards.
/// </summary>
[Collection(DaemonCollection.Name)]
public sealed class SkopeoArchiveTests(DaemonFixture daemon)
{
    private const string Skopeo = "/usr/bin/skopeo";

    [RootFact(E2E.Docker, Skopeo)]
    public async Task Skopeo_CopiesEveryBlobOfOurSave_AsOciArchiveAndOciLayout()
    {
        var tag = Guid.NewGuid().ToString("N")[..10];
        var first = await ImageMaker.MakeAsync(daemon, $"it-skopeo-a/{tag}:1");
        var second = await ImageMaker.MakeAsync(daemon, $"it-skopeo-b/{tag}:2");
        var dir = Path.Join(daemon.TempRoot, "skopeo-oci-" + tag);
        Directory.CreateDirectory(dir);
        var loaded = new List<string>();
        try
        {
            var expected = (await daemon.RunDockerAsync(["run", "--rm", second])).Ok("run").Stdout;
            var ours = Path.Join(dir, "ours.tar");
            (await daemon.RunBerthAsync(["save", "-o", ours, first, second])).Ok("berth save of two images");

            // The archive's OCI layout, read through as oci-archive (every blob copied and verified by skopeo).
            var viaOciArchive = Path.Join(dir, "via-oci-archive");
            (await ProcessRunner.RunAsync(Skopeo, ["copy", $"oci-archive:{ours}:2", $"oci:{viaOciArchive}:copied"])).Ok("skopeo copy oci-archive:");
            // The same layout unpacked into a directory, read as oci:.
            var layout = Path.Join(dir, "layout");
            Directory.CreateDirectory(layout);
            await TarFile.ExtractToDirectoryAsync(ours, layout, overwriteFiles: false);
            Assert.True(File.Exists(Path.Join(layout, "oci-layout")));
            var back = Path.Join(dir, "back.tar");
            var renamed = $"it-skopeo-c/{tag}:from-layout";
            (await ProcessRunner.RunAsync(Skopeo, ["copy", $"oci:{layout}:2", $"docker-archive:{back}:{renamed}"])).Ok("skopeo copy oci: of our layout");
            // One image picked by name out of the two-image docker-archive.
            var picked = Path.Join(dir, "picked");
            (await ProcessRunner.RunAsync(Skopeo, ["copy", $"docker-archive:{ours}:{second}", $"dir:{picked}"])).Ok("skopeo copy docker-archive:NAME");

            // What skopeo made from our layout comes back and runs the same.
            (await daemon.RunBerthAsync(["load", "-i", back])).Ok("load skopeo's docker-archive");
            loaded.Add(renamed);
            Assert.Equal(expected, (await daemon.RunDockerAsync(["run", "--rm", renamed])).Ok("run round-tripped image").Stdout);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
            foreach (var i in loaded.Append(first).Append(second)) await daemon.RunDockerAsync(["rmi", "-f", i]);
        }
    }

    [RootFact(E2E.Docker, Skopeo)]
    public async Task Load_SkopeoOciArchives_CompressedAndNot_Run()
    {
        var tag = Guid.NewGuid().ToString("N")[..10];
        var image = await ImageMaker.MakeAsync(daemon, $"it-skopeo-d/{tag}:src");
        var dir = Path.Join(daemon.TempRoot, "skopeo-load-" + tag);
        Directory.CreateDirectory(dir);
        var loaded = new List<string>();
        try
        {
            var expected = (await daemon.RunDockerAsync(["run", "--rm", image])).Ok("run").Stdout;
            var ours = Path.Join(dir, "ours.tar");
            (await daemon.RunDockerAsync(["save", "-o", ours, image])).Ok("save");
            (await daemon.RunDockerAsync(["rmi", image])).Ok("rmi");
            foreach (var (name, compress) in new[] { ("plain", false), ("gzip", true) })
            {
                var archive = Path.Join(dir, name + ".tar");
                var reference = $"docker.io/it-skopeo-d/{tag}:{name}";
                string[] flags = compress ? ["--dest-compress"] : ["--dest-decompress"];
                (await ProcessRunner.RunAsync(Skopeo, ["copy", .. flags, $"docker-archive:{ours}", $"oci-archive:{archive}:{reference}"])).Ok($"skopeo copy to oci-archive ({name})");
                var load = (await daemon.RunBerthAsync(["load", "-i", archive])).Ok($"load skopeo oci-archive ({name})");
                var id = load.Stdout.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("Loaded image", StringComparison.Ordinal));
                Assert.NotNull(id);
                var target = id!.StartsWith("Loaded image ID: ", StringComparison.Ordinal) ? id["Loaded image ID: ".Length..] : id["Loaded image: ".Length..];
                loaded.Add(target);
                Assert.Equal(expected, (await daemon.RunDockerAsync(["run", "--rm", target])).Ok($"run image loaded from skopeo's oci-archive ({name})").Stdout);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
            foreach (var i in loaded.Append(image)) await daemon.RunDockerAsync(["rmi", "-f", i]);
        }
    }
}

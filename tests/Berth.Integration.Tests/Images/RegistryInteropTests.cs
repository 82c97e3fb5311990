using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Images;

/// <summary>Berth's client against Debian's docker-registry, and skopeo against Berth's registry server.</summary>
[Collection(DaemonCollection.Name)]
public sealed class RegistryInteropTests(DaemonFixture daemon)
{
    private const string Skopeo = "/usr/bin/skopeo";

    [RootFact(E2E.Docker, DistributionRegistryProcess.Binary)]
    public async Task PushPull_DebianDockerRegistry_RoundTrips()
    {
        await using var registry = await DistributionRegistryProcess.StartAsync();
        var image = await ImageMaker.MakeAsync(daemon, $"{registry.Address}/interop/img:v1");
        try
        {
            var push = (await daemon.RunDockerAsync(["push", image])).Ok("push to docker-registry");
            Assert.Matches(@"v1: digest: sha256:[0-9a-f]{64}", push.Stdout);
            var expected = (await daemon.RunDockerAsync(["run", "--rm", image])).Ok("run").Stdout;
            (await daemon.RunDockerAsync(["rmi", image])).Ok("rmi");
            var pull = (await daemon.RunDockerAsync(["pull", image])).Ok("pull from docker-registry");
            Assert.Contains("Pull complete", pull.Stdout);
            Assert.Equal(expected, (await daemon.RunDockerAsync(["run", "--rm", image])).Ok("run pulled").Stdout);
        }
        finally
        {
            await daemon.RunDockerAsync(["rmi", "-f", image]);
        }
    }

    [RootFact(E2E.Docker, DistributionRegistryProcess.Binary)]
    public async Task Login_DebianDockerRegistryWithHtpasswd_PushesWithCredentials()
    {
        var htpasswd = Path.Join(daemon.TempRoot, "distreg-htpasswd-" + Guid.NewGuid().ToString("N")[..6]);
        await File.WriteAllTextAsync(htpasswd, "bob:" + Berth.Registry.Auth.Bcrypt.Hash("builder", 5) + "\n");
        await using var registry = await DistributionRegistryProcess.StartAsync(htpasswd);
        var image = $"{registry.Address}/secure/bb:1";
        (await daemon.RunDockerAsync(["tag", "busybox", image])).Ok("tag");
        try
        {
            (await daemon.RunDockerAsync(["login", "-u", "bob", "--password-stdin", registry.Address], stdin: "builder\n")).Ok("login");
            (await daemon.RunDockerAsync(["push", image])).Ok("push with credentials");
            (await daemon.RunDockerAsync(["logout", registry.Address])).Ok("logout");
            Assert.NotEqual(0, (await daemon.RunDockerAsync(["push", image])).ExitCode);
        }
        finally
        {
            await daemon.RunDockerAsync(["rmi", image]);
            File.Delete(htpasswd);
        }
    }

    [RootFact(E2E.Docker, Skopeo, DistributionRegistryProcess.Binary)]
    public async Task Skopeo_CopiesFromBerthRegistry()
    {
        await using var ours = await RegistryProcess.StartAsync();
        await using var theirs = await DistributionRegistryProcess.StartAsync();
        var image = await ImageMaker.MakeAsync(daemon, $"{ours.Address}/sk/img:v1");
        var dir = Path.Join(daemon.TempRoot, "sk-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            (await daemon.RunDockerAsync(["push", image])).Ok("push to berth registry");
            (await ProcessRunner.RunAsync(Skopeo, ["inspect", "--tls-verify=false", $"docker://{image}"])).Ok("skopeo inspect berth registry");
            (await ProcessRunner.RunAsync(Skopeo, ["copy", "--src-tls-verify=false", $"docker://{image}", $"oci:{dir}:v1"])).Ok("skopeo copy berth registry to oci dir");
            (await ProcessRunner.RunAsync(Skopeo, ["copy", "--src-tls-verify=false", "--dest-tls-verify=false", $"docker://{image}", $"docker://{theirs.Address}/sk/img:v1"]))
                .Ok("skopeo copy berth registry to docker-registry");
            // And back, into a new repository of ours: skopeo's own uploads (chunked, monolithic) against our server.
            (await ProcessRunner.RunAsync(Skopeo, ["copy", "--src-tls-verify=false", "--dest-tls-verify=false", $"docker://{theirs.Address}/sk/img:v1", $"docker://{ours.Address}/back/img:v1"]))
                .Ok("skopeo copy docker-registry to berth registry");
            (await daemon.RunDockerAsync(["pull", $"{ours.Address}/back/img:v1"])).Ok("pull what skopeo pushed");
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            await daemon.RunDockerAsync(["rmi", "-f", image]);
            await daemon.RunDockerAsync(["rmi", "-f", $"{ours.Address}/back/img:v1"]);
        }
    }
}

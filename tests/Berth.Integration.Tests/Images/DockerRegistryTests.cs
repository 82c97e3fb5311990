using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Images;

/// <summary>The real docker CLI against berthd, pushing to and pulling from <c>berth registry serve</c> on loopback.</summary>
[Collection(DaemonCollection.Name)]
public sealed class DockerRegistryTests(DaemonFixture daemon)
{
    [RootFact(E2E.Docker)]
    public async Task DockerPushRmiPull_BerthRegistry_RoundTrips()
    {
        await using var registry = await RegistryProcess.StartAsync();
        var image = await ImageMaker.MakeAsync(daemon, $"{registry.Address}/test/bb:v1");
        try
        {
            var push = (await daemon.RunDockerAsync(["push", image])).Ok("docker push");
            Assert.Contains($"The push refers to repository [{registry.Address}/test/bb]", push.Stdout);
            Assert.Matches(@"v1: digest: sha256:[0-9a-f]{64} size: \d+", push.Stdout);
            var again = (await daemon.RunDockerAsync(["push", image])).Ok("second docker push");
            Assert.Contains("Layer already exists", again.Stdout);

            (await daemon.RunDockerAsync(["rmi", image])).Ok("docker rmi");
            var pull = (await daemon.RunDockerAsync(["pull", image])).Ok("docker pull");
            Assert.Contains("v1: Pulling from test/bb", pull.Stdout);
            Assert.Contains("Pull complete", pull.Stdout);
            Assert.Matches(@"Digest: sha256:[0-9a-f]{64}", pull.Stdout);
            Assert.Contains($"Status: Downloaded newer image for {image}", pull.Stdout);

            var run = (await daemon.RunDockerAsync(["run", "--rm", image, "echo", "pulled-ok"])).Ok("docker run pulled image");
            Assert.Equal("pulled-ok\n", run.Stdout);
            var digests = (await daemon.RunDockerAsync(["image", "inspect", "-f", "{{json .RepoDigests}}", image])).Ok("inspect");
            Assert.Contains($"{registry.Address}/test/bb@sha256:", digests.Stdout);

            var upToDate = (await daemon.RunDockerAsync(["pull", image])).Ok("second pull");
            Assert.Contains($"Status: Image is up to date for {image}", upToDate.Stdout);
        }
        finally
        {
            await daemon.RunDockerAsync(["rmi", "-f", image]);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task DockerPull_UnknownTag_ManifestUnknown()
    {
        await using var registry = await RegistryProcess.StartAsync();
        var pull = await daemon.RunDockerAsync(["pull", $"{registry.Address}/nope/x:nope"]);
        Assert.NotEqual(0, pull.ExitCode);
        Assert.Contains($"manifest for {registry.Address}/nope/x:nope not found: manifest unknown", pull.Stderr);
    }

    [RootFact(E2E.Docker)]
    public async Task DockerLoginPushLogout_HtpasswdRegistry_RequiresCredentials()
    {
        var htpasswd = Path.Join(daemon.TempRoot, "htpasswd-" + Guid.NewGuid().ToString("N")[..8]);
        await File.WriteAllTextAsync(htpasswd, "alice:" + Berth.Registry.Auth.Bcrypt.Hash("wonderland", 5) + "\n");
        await using var registry = await RegistryProcess.StartAsync("--htpasswd", htpasswd);
        var image = $"{registry.Address}/auth/bb:1";
        (await daemon.RunDockerAsync(["tag", "busybox", image])).Ok("tag");
        try
        {
            var anonymous = await daemon.RunDockerAsync(["push", image]);
            Assert.NotEqual(0, anonymous.ExitCode);

            var bad = await daemon.RunDockerAsync(["login", "-u", "alice", "--password-stdin", registry.Address], stdin: "nope\n");
            Assert.NotEqual(0, bad.ExitCode);
            Assert.Contains("401", bad.Stderr + bad.Stdout);

            var login = (await daemon.RunDockerAsync(["login", "-u", "alice", "--password-stdin", registry.Address], stdin: "wonderland\n")).Ok("docker login");
            Assert.Contains("Login Succeeded", login.Stdout);
            (await daemon.RunDockerAsync(["push", image])).Ok("push after login");
            (await daemon.RunDockerAsync(["logout", registry.Address])).Ok("logout");
        }
        finally
        {
            await daemon.RunDockerAsync(["rmi", image]);
            File.Delete(htpasswd);
        }
    }
}

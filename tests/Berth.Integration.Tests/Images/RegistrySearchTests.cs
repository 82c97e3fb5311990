using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Images;

/// <summary>
/// <c>docker search</c> and <c>berth search</c> against berthd, which asks <c>berth registry serve</c> over the registry v1 search
/// API: docker's table, <c>--no-trunc</c>, <c>--limit</c>, the filters, <c>--format</c>, errors in moby's words, and credentials.
/// </summary>
[Collection(DaemonCollection.Name)]
public sealed class RegistrySearchTests(DaemonFixture daemon)
{
    private const string LongDescription = "A web server for the search tests, described at length to be cut";

    [RootFact(E2E.Docker)]
    public async Task Search_BerthRegistry_DockerAndBerthShowTheSameTable()
    {
        await using var registry = await RegistryProcess.StartAsync();
        var team = "srch" + Guid.NewGuid().ToString("N")[..6];
        var web = $"{registry.Address}/{team}/web:latest";
        var db = $"{registry.Address}/{team}/db:latest";
        var other = $"{registry.Address}/unrelated/cache:latest";
        await PushLabelledAsync(web, LongDescription);
        await PushLabelledAsync(db, null);
        await PushLabelledAsync(other, null);
        try
        {
            var docker = (await daemon.RunDockerAsync(["search", $"{registry.Address}/{team}"])).Ok("docker search");
            var lines = docker.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Matches(@"^NAME\s+DESCRIPTION\s+STARS\s+OFFICIAL$", lines[0]);
            Assert.Equal(3, lines.Length);
            Assert.Contains(lines, l => l.StartsWith($"{team}/web ", StringComparison.Ordinal) && l.Contains(LongDescription[..44] + "…", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith($"{team}/db ", StringComparison.Ordinal));
            var berth = (await daemon.RunBerthAsync(["search", $"{registry.Address}/{team}"])).Ok("berth search");
            Assert.Equal(docker.Stdout, berth.Stdout);

            var full = (await daemon.RunBerthAsync(["search", "--no-trunc", $"{registry.Address}/{team}/web"])).Ok("--no-trunc");
            Assert.Contains(LongDescription, full.Stdout);
            // The description is searched too.
            var byDescription = (await daemon.RunDockerAsync(["search", "--format", "{{.Name}}", $"{registry.Address}/described at length"])).Ok("by description");
            Assert.Equal($"{team}/web\n", byDescription.Stdout);

            foreach (var cli in new Func<string[], Task<CommandResult>>[] { a => daemon.RunDockerAsync(a), a => daemon.RunBerthAsync(a) })
            {
                Assert.Single(Rows((await cli(["search", "--limit", "1", $"{registry.Address}/{team}"])).Ok("--limit 1").Stdout));
                Assert.Empty(Rows((await cli(["search", "-f", "is-official=true", $"{registry.Address}/{team}"])).Ok("is-official").Stdout));
                Assert.Empty(Rows((await cli(["search", "--filter", "stars=1", $"{registry.Address}/{team}"])).Ok("stars=1").Stdout));
                Assert.Equal(2, Rows((await cli(["search", "--filter", "stars=0", "--filter", "is-official=false", $"{registry.Address}/{team}"])).Ok("stars=0").Stdout).Count);
                var formatted = (await cli(["search", "--format", "{{.Name}}:{{.StarCount}}:{{.IsOfficial}}", $"{registry.Address}/{team}/db"])).Ok("--format");
                Assert.Equal($"{team}/db:0:\n", formatted.Stdout);
                var json = (await cli(["search", "--format", "{{json .}}", $"{registry.Address}/{team}/db"])).Ok("--format json");
                Assert.Equal($"{{\"Description\":\"\",\"IsOfficial\":\"false\",\"Name\":\"{team}/db\",\"StarCount\":\"0\"}}\n", json.Stdout);

                var limit = await cli(["search", "--limit", "101", $"{registry.Address}/{team}"]);
                Assert.NotEqual(0, limit.ExitCode);
                Assert.Contains("limit 101 is outside the range of [1, 100]", limit.Stderr);
                var filter = await cli(["search", "--filter", "color=red", $"{registry.Address}/{team}"]);
                Assert.NotEqual(0, filter.ExitCode);
                Assert.Contains("invalid filter 'color'", filter.Stderr);
                var stars = await cli(["search", "--filter", "stars=many", $"{registry.Address}/{team}"]);
                Assert.Contains("invalid filter 'stars=many'", stars.Stderr);
            }
        }
        finally
        {
            foreach (var i in new[] { web, db, other }) await daemon.RunDockerAsync(["rmi", "-f", i]);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task Search_RegistryWithHtpasswd_NeedsLogin()
    {
        var htpasswd = Path.Join(daemon.TempRoot, "search-htpasswd-" + Guid.NewGuid().ToString("N")[..6]);
        await File.WriteAllTextAsync(htpasswd, "carol:" + Berth.Registry.Auth.Bcrypt.Hash("s3arch", 5) + "\n");
        await using var registry = await RegistryProcess.StartAsync("--htpasswd", htpasswd);
        var image = $"{registry.Address}/private/app:1";
        (await daemon.RunDockerAsync(["tag", "busybox", image])).Ok("tag");
        try
        {
            (await daemon.RunDockerAsync(["login", "-u", "carol", "--password-stdin", registry.Address], stdin: "s3arch\n")).Ok("login");
            (await daemon.RunDockerAsync(["push", image])).Ok("push");
            var found = (await daemon.RunDockerAsync(["search", "--format", "{{.Name}}", $"{registry.Address}/private"])).Ok("search logged in");
            Assert.Equal("private/app\n", found.Stdout);
            Assert.Equal("private/app\n", (await daemon.RunBerthAsync(["search", "--format", "{{.Name}}", $"{registry.Address}/private"])).Ok("berth search logged in").Stdout);
            (await daemon.RunDockerAsync(["logout", registry.Address])).Ok("logout");
            var refused = await daemon.RunDockerAsync(["search", $"{registry.Address}/private"]);
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("unexpected status code 401", refused.Stderr);
        }
        finally
        {
            await daemon.RunDockerAsync(["rmi", "-f", image]);
            File.Delete(htpasswd);
        }
    }

    private async Task PushLabelledAsync(string image, string? description)
    {
        var name = E2E.UniqueName("srch");
        (await daemon.RunDockerAsync(["create", "--name", name, "busybox", "true"])).Ok("create");
        try
        {
            string[] change = description is null ? [] : ["-c", $"LABEL org.opencontainers.image.description=\"{description}\""];
            (await daemon.RunDockerAsync(["commit", .. change, name, image])).Ok("commit");
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(name);
        }
        (await daemon.RunDockerAsync(["push", image])).Ok("push " + image);
    }

    private static List<string> Rows(string table) => [.. table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)];
}

using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Compose;

/// <summary>
/// Top-level secrets and configs in all their forms: <c>file</c> (a read-only bind), <c>environment</c> and a config's
/// <c>content</c> (written into the container before it starts, with the reference's uid, gid and mode).
/// </summary>
[Collection(DaemonCollection.Name)]
public sealed class ComposeSecretsConfigsTests(DaemonFixture daemon)
{
    [RootFact(E2E.Docker)]
    public async Task EnvironmentContentAndFile_LandAtTheirTargets_WithOwnerAndMode()
    {
        await using var p = new ComposeDir(daemon, "secrets");
        p.Write(".env", "API_TOKEN=tok-123\nSETTINGS=mode=fast\n").Write("disk-secret.txt", "from-disk\n").Write("compose.yaml", """
            services:
              app:
                image: busybox:latest
                command: ["sleep", "3600"]
                secrets:
                  - token
                  - source: token
                    target: owned
                    uid: "1234"
                    gid: "4321"
                    mode: 0400
                  - disk
                configs:
                  - source: greeting
                    target: /etc/greeting.txt
                  - settings
            secrets:
              token:
                environment: API_TOKEN
              disk:
                file: ./disk-secret.txt
            configs:
              greeting:
                content: |
                  hello from content
              settings:
                environment: SETTINGS
            """);
        (await p.ComposeAsync("up", "-d")).Ok("up");
        Assert.Equal("tok-123", (await p.ExecAsync("app", "cat", "/run/secrets/token")).Ok("env secret").Stdout);
        Assert.Equal("444 0 0\n", (await p.ExecAsync("app", "stat", "-c", "%a %u %g", "/run/secrets/token")).Ok("stat token").Stdout);
        Assert.Equal("tok-123", (await p.ExecAsync("app", "cat", "/run/secrets/owned")).Ok("relative target").Stdout);
        Assert.Equal("400 1234 4321\n", (await p.ExecAsync("app", "stat", "-c", "%a %u %g", "/run/secrets/owned")).Ok("stat owned").Stdout);
        Assert.Equal("from-disk\n", (await p.ExecAsync("app", "cat", "/run/secrets/disk")).Ok("file secret").Stdout);
        Assert.Equal("hello from content\n", (await p.ExecAsync("app", "cat", "/etc/greeting.txt")).Ok("content config").Stdout);
        Assert.Equal("mode=fast", (await p.ExecAsync("app", "cat", "/settings")).Ok("env config").Stdout);
        // The file-backed one is a read-only bind; the written ones are plain files in the container.
        Assert.NotEqual(0, (await p.ExecAsync("app", "sh", "-c", "echo x > /run/secrets/disk")).ExitCode);

        // Written again at every start, and for a one-off container too.
        (await p.ComposeAsync("restart", "-t", "1")).Ok("restart");
        (await p.ComposeAsync("stop", "-t", "1")).Ok("stop");
        (await p.ComposeAsync("start")).Ok("start");
        Assert.Equal("tok-123", (await p.ExecAsync("app", "cat", "/run/secrets/token")).Ok("after start").Stdout);
        var run = (await p.ComposeAsync("run", "--rm", "-T", "app", "cat", "/run/secrets/owned", "/etc/greeting.txt")).Ok("run");
        Assert.Equal("tok-123hello from content\n", run.Stdout);
    }

    [RootFact(E2E.Docker)]
    public async Task UnsetVariable_OrReadOnlyService_FailsWithComposesWords()
    {
        await using var p = new ComposeDir(daemon, "secretsbad");
        p.Write("compose.yaml", """
            services:
              app:
                image: busybox:latest
                command: ["sleep", "3600"]
                secrets: [token]
            secrets:
              token:
                environment: BERTH_TEST_SURELY_UNSET
            """);
        var r = await p.ComposeAsync("up", "-d");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains($"environment variable \"BERTH_TEST_SURELY_UNSET\" required by secret \"{p.Project}_token\" is not set", r.Stderr, StringComparison.Ordinal);

        p.Write(".env", "BERTH_TEST_SURELY_UNSET=v\n");
        p.Write("compose.yaml", File.ReadAllText(p.ComposeFile).Replace("    secrets: [token]", "    secrets: [token]\n    read_only: true", StringComparison.Ordinal));
        var ro = await p.ComposeAsync("up", "-d");
        Assert.NotEqual(0, ro.ExitCode);
        Assert.Contains($"cannot create secret \"{p.Project}_token\" in read-only service app: `file` is the sole supported option", ro.Stderr, StringComparison.Ordinal);
    }
}

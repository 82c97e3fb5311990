using System.Text.Json;
using Berth.Integration.Tests.Network;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.EndToEnd;

/// <summary>
/// The seeds' cheat sheets (shared/seeds), command by command with the real docker CLI against berthd: the
/// container, image and network commands a reader types first. nginx, node and postgres are not reachable offline,
/// so busybox's httpd and shell stand in for them; every command and flag is the one the seeds print.
/// </summary>
[Collection(DaemonCollection.Name)]
public sealed class SeedCheatSheetTests(DaemonFixture daemon)
{
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(60);

    private async Task<string> DockerOkAsync(string what, params string[] args) =>
        (await daemon.RunDockerAsync(args, timeout: Quick)).Ok(what).Stdout;

    [RootFact(E2E.Docker)]
    public async Task ContainerCommands_RunPortExecLogsPauseCpDiffRestartKillRm()
    {
        var app = E2E.UniqueName("my-app");
        var port = NetTest.FreePort();
        var dir = Directory.CreateTempSubdirectory("berth-seed-").FullName;
        try
        {
            // docker run -d -p 3000:3000 --name my-app my-app:latest  /  docker run -e NODE_ENV=prod app
            await DockerOkAsync("run -d -p", "run", "-d", "-p", $"127.0.0.1:{port}:3000", "--name", app, "-e", "NODE_ENV=prod", "busybox", "sh", "-c",
                "mkdir -p /www && echo hello-seed > /www/index.html && echo started && exec httpd -f -p 3000 -h /www");
            using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) })
            {
                var body = await E2E.EventuallyAsync(async () =>
                {
                    try { return await http.GetStringAsync($"http://127.0.0.1:{port}/index.html"); }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException) { return ex.Message; }
                }, b => b == "hello-seed\n", TimeSpan.FromSeconds(15), "the published port answering");
                Assert.Equal("hello-seed\n", body);
            }

            Assert.Contains(app, await DockerOkAsync("ps", "ps"));
            Assert.Contains(app, await DockerOkAsync("ps -a", "ps", "-a"));
            Assert.Equal($"3000/tcp -> 127.0.0.1:{port}", (await DockerOkAsync("port", "port", app)).Trim());
            Assert.Contains("NODE_ENV=prod", (await DockerOkAsync("exec env", "exec", app, "env")).Split('\n'));
            Assert.Equal("started\n", await DockerOkAsync("logs", "logs", app));
            using (var inspect = JsonDocument.Parse(await DockerOkAsync("inspect", "inspect", app)))
            {
                Assert.Equal("/" + app, inspect.RootElement[0].GetProperty("Name").GetString());
            }

            // docker pause / unpause CONTAINER
            await DockerOkAsync("pause", "pause", app);
            Assert.Equal("paused\n", await DockerOkAsync("inspect paused", "inspect", "-f", "{{.State.Status}}", app));
            await DockerOkAsync("unpause", "unpause", app);
            Assert.Equal("running\n", await DockerOkAsync("inspect running", "inspect", "-f", "{{.State.Status}}", app));

            // docker cp file.txt CONTAINER:/path/  then  docker diff CONTAINER
            var file = Path.Combine(dir, "file.txt");
            await File.WriteAllTextAsync(file, "copied in\n");
            await DockerOkAsync("cp", "cp", file, app + ":/tmp/");
            Assert.Equal("copied in\n", await DockerOkAsync("exec cat", "exec", app, "cat", "/tmp/file.txt"));
            var diff = (await DockerOkAsync("diff", "diff", app)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Contains("C /tmp", diff);
            Assert.Contains("A /tmp/file.txt", diff);
            Assert.Contains("A /www", diff);

            // docker restart CONTAINER: a new process, the same container
            var startedBefore = await DockerOkAsync("inspect StartedAt", "inspect", "-f", "{{.State.StartedAt}}", app);
            await DockerOkAsync("restart", "restart", "-t", "1", app);
            Assert.Equal("running\n", await DockerOkAsync("inspect after restart", "inspect", "-f", "{{.State.Status}}", app));
            Assert.NotEqual(startedBefore, await DockerOkAsync("inspect StartedAt again", "inspect", "-f", "{{.State.StartedAt}}", app));

            // docker kill my-app  (SIGKILL: exit code 137)  then  docker rm my-app
            await DockerOkAsync("kill", "kill", app);
            Assert.Equal("137\n", await DockerOkAsync("wait", "wait", app));
            await DockerOkAsync("rm", "rm", app);
            Assert.DoesNotContain(app, await DockerOkAsync("ps -a after rm", "ps", "-a"));
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(app);
            Directory.Delete(dir, recursive: true);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task ImageCommands_CommitHistoryTagSaveLoadRmiPrune()
    {
        var box = E2E.UniqueName("commit-src");
        var image = E2E.UniqueName("myimage");
        var dir = Directory.CreateTempSubdirectory("berth-seed-").FullName;
        try
        {
            // docker commit CONTAINER myimage:v1  /  docker history IMAGE
            await DockerOkAsync("run", "run", "--name", box, "busybox", "sh", "-c", "echo baked > /baked.txt");
            var id = (await DockerOkAsync("commit", "commit", box, image + ":v1")).Trim();
            Assert.StartsWith("sha256:", id);
            var history = (await DockerOkAsync("history", "history", "--format", "{{.ID}}", image + ":v1")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(history.Length >= 2, $"history of a commit on busybox has the commit's layer and busybox's: {string.Join(",", history)}");
            Assert.Equal("baked\n", await DockerOkAsync("run committed", "run", "--rm", image + ":v1", "cat", "/baked.txt"));

            // docker tag my-app ...:1.0.0, docker images, docker save / docker load -i image.tar, docker rmi
            await DockerOkAsync("tag", "tag", image + ":v1", image + ":1.0.0");
            var images = await DockerOkAsync("images", "images", image);
            Assert.Contains("v1", images);
            Assert.Contains("1.0.0", images);
            var tar = Path.Combine(dir, "image.tar");
            await DockerOkAsync("save", "save", "-o", tar, image + ":1.0.0");
            await DockerOkAsync("rm", "rm", box);
            Assert.Contains("Untagged: " + image + ":1.0.0", await DockerOkAsync("rmi tag", "rmi", image + ":1.0.0"));
            Assert.Contains("Loaded image: " + image + ":1.0.0", await DockerOkAsync("load", "load", "-i", tar));
            Assert.Equal(id + "\n", await DockerOkAsync("inspect loaded", "image", "inspect", "-f", "{{.Id}}", image + ":1.0.0"));
            await DockerOkAsync("rmi both", "rmi", image + ":v1", image + ":1.0.0");
            Assert.DoesNotContain(image, await DockerOkAsync("images after rmi", "images"));

            // docker image prune: removes dangling images only (busybox stays).
            var prune = await DockerOkAsync("image prune", "image", "prune", "-f");
            Assert.Contains("Total reclaimed space", prune);
            Assert.Contains("busybox", await DockerOkAsync("images after prune", "images"));
            Assert.Contains("Server Version", await DockerOkAsync("info", "info"));
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(box);
            await daemon.RunDockerAsync(["rmi", "-f", image + ":v1", image + ":1.0.0"], timeout: Quick);
            Directory.Delete(dir, recursive: true);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task NetworkCommands_CreateRunByNameConnectInspect()
    {
        var net = NetTest.Name("myapp-net");
        var other = NetTest.Name("mynet");
        var db = E2E.UniqueName("db");
        var api = E2E.UniqueName("api");
        try
        {
            // docker network create --driver bridge myapp-net; docker run -d --name db --network myapp-net ...
            await DockerOkAsync("network create", "network", "create", "--driver", "bridge", net);
            await DockerOkAsync("network create mynet", "network", "create", other);
            Assert.Contains(net, await DockerOkAsync("network ls", "network", "ls"));
            await DockerOkAsync("run db", "run", "-d", "--name", db, "--network", net, "busybox", "sleep", "300");
            await DockerOkAsync("run api", "run", "-d", "--name", api, "--network", net, "busybox", "sleep", "300");

            // "api connects to db using hostname db"
            var ping = await daemon.RunDockerAsync(["exec", api, "ping", "-c", "1", "-W", "2", db], timeout: Quick);
            Assert.True(ping.ExitCode == 0, $"api could not reach db by name: {ping}");

            // docker network connect mynet CONTAINER; docker network inspect myapp-net
            await DockerOkAsync("network connect", "network", "connect", other, api);
            var networks = await DockerOkAsync("inspect networks", "inspect", "-f", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}", api);
            Assert.Contains(net, networks);
            Assert.Contains(other, networks);
            using var inspect = JsonDocument.Parse(await DockerOkAsync("network inspect", "network", "inspect", net));
            var containers = inspect.RootElement[0].GetProperty("Containers").EnumerateObject().Select(c => c.Value.GetProperty("Name").GetString()).ToList();
            Assert.Contains(db, containers);
            Assert.Contains(api, containers);
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(api);
            await daemon.RemoveQuietlyAsync(db);
            await NetTest.RemoveNetworkQuietlyAsync(daemon, net);
            await NetTest.RemoveNetworkQuietlyAsync(daemon, other);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task RunFlags_EnvFileBindMountedWorkdirAndCmdOverride()
    {
        var dir = Directory.CreateTempSubdirectory("berth-seed-").FullName;
        try
        {
            // docker run --rm alpine echo "hi"
            Assert.Equal("hi\n", await DockerOkAsync("run echo", "run", "--rm", "busybox", "echo", "hi"));

            // docker run -v $(pwd):/app node  /  --env-file .env
            await File.WriteAllTextAsync(Path.Combine(dir, "package.json"), "{}\n");
            await File.WriteAllTextAsync(Path.Combine(dir, ".env"), "# comment\nDATABASE_URL=postgres://db/app\nEMPTY=\n");
            var env = await DockerOkAsync("run --env-file", "run", "--rm", "--env-file", Path.Combine(dir, ".env"), "-v", dir + ":/app", "-w", "/app",
                "busybox", "sh", "-c", "echo $DATABASE_URL; echo [$EMPTY]; cat package.json; touch made-inside");
            Assert.Equal("postgres://db/app\n[]\n{}\n", env);
            Assert.True(File.Exists(Path.Combine(dir, "made-inside")), "a write under the bind mount lands in the host directory");

            // docker run myimage ls -la  -> replaces CMD
            var ls = await DockerOkAsync("run cmd override", "run", "--rm", "-v", dir + ":/app:ro", "busybox", "ls", "-la", "/app");
            Assert.Contains("package.json", ls);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

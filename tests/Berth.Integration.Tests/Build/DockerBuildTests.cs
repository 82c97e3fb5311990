using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Build;

/// <summary>The seeds' Dockerfile patterns built with the real docker CLI (classic builder) and run.</summary>
[Collection(DaemonCollection.Name)]
public sealed class DockerBuildTests(DaemonFixture daemon)
{
    private const string MultiStage = """
        # syntax=docker/dockerfile:1
        ARG BASE=busybox
        FROM ${BASE} AS build
        ARG VERSION=1.0
        WORKDIR /src
        COPY src/ ./
        RUN mkdir -p /out && echo "version $VERSION" > /out/version.txt && cat main.txt > /out/main.txt

        FROM busybox AS unused
        RUN echo this stage is not needed && exit 1

        FROM ${BASE}
        RUN echo 'app:x:1000:1000::/home/app:/bin/sh' >> /etc/passwd && echo 'app:x:1000:' >> /etc/group && mkdir -p /home/app && chown app:app /home/app
        COPY --from=build /out /opt/out
        COPY --chown=app:app src/*.txt /home/app/
        ADD bundle.tar.gz /opt/bundle/
        ENV MODE=prod \
            PORT=8080
        LABEL org.opencontainers.image.title="demo app" maintainer=me
        EXPOSE $PORT 9090/udp
        VOLUME ["/data"]
        HEALTHCHECK --interval=5s --timeout=2s --retries=2 CMD test -f /opt/out/main.txt || exit 1
        STOPSIGNAL SIGINT
        USER app
        WORKDIR /home/app
        ENTRYPOINT ["cat"]
        CMD ["/opt/out/version.txt"]
        """;

    [RootFact]
    public async Task Build_MultiStageSeedPatterns_ImageRunsWithDockerConfig()
    {
        await using var ctx = new BuildContext(daemon, "ms");
        ctx.File("Dockerfile", MultiStage).File("src/main.txt", "hello from source\n").File("src/notes.md", "ignored\n").File(".dockerignore", "**/*.md\n");
        MakeTarGz(Path.Combine(ctx.Dir, "bundle.tar.gz"), "inner/f.txt", "tarred\n");
        var tag = ctx.Tag("1");

        var r = (await ctx.DockerBuildAsync("-t", tag, "--build-arg", "VERSION=2.5", "--label", "built.by=berth")).Ok("docker build");
        Assert.DoesNotContain("this stage is not needed", r.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"Successfully built [0-9a-f]{12}\n", r.Stdout);
        Assert.Contains($"Successfully tagged {tag}\n", r.Stdout, StringComparison.Ordinal);

        Assert.Equal("version 2.5\n", (await daemon.RunDockerAsync(["run", "--rm", tag])).Ok("run default").Stdout);
        Assert.Equal("hello from source\n", (await daemon.RunDockerAsync(["run", "--rm", tag, "/home/app/main.txt"])).Ok("run file").Stdout);
        Assert.Equal("tarred\n", (await daemon.RunDockerAsync(["run", "--rm", tag, "/opt/bundle/inner/f.txt"])).Ok("ADD unpacked").Stdout);
        var ls = (await daemon.RunDockerAsync(["run", "--rm", "--entrypoint", "sh", tag, "-c", "id -un; stat -c '%U:%G %a' /home/app/main.txt; ls /home/app; pwd"])).Ok("ls").Stdout;
        Assert.Equal("app\napp:app 644\nmain.txt\n/home/app\n", ls);

        var fmt = "{{.Config.User}}|{{json .Config.Entrypoint}}|{{json .Config.Cmd}}|{{json .Config.ExposedPorts}}|{{json .Config.Volumes}}|" +
                  "{{.Config.StopSignal}}|{{json .Config.Healthcheck.Test}}|{{.Config.Healthcheck.Interval}}|{{index .Config.Labels \"built.by\"}}|" +
                  "{{index .Config.Labels \"org.opencontainers.image.title\"}}|{{.Config.WorkingDir}}";
        var inspect = (await daemon.RunDockerAsync(["image", "inspect", "--format", fmt, tag])).Ok("inspect").Stdout.Trim();
        Assert.Equal("app|[\"cat\"]|[\"/opt/out/version.txt\"]|{\"8080/tcp\":{},\"9090/udp\":{}}|{\"/data\":{}}|SIGINT|" +
                     "[\"CMD-SHELL\",\"test -f /opt/out/main.txt || exit 1\"]|5s|berth|demo app|/home/app", inspect);
        var env = (await daemon.RunDockerAsync(["image", "inspect", "--format", "{{json .Config.Env}}", tag])).Ok("env").Stdout.Trim();
        Assert.Equal("[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\",\"MODE=prod\",\"PORT=8080\"]", env);

        // History as Docker's classic builder writes it: "#(nop)" lines for metadata, the command for RUN, empty layers marked.
        var history = (await daemon.RunDockerAsync(["history", "--no-trunc", "--format", "{{.CreatedBy}}|{{.Size}}", tag])).Ok("history").Stdout;
        var lines = history.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("/bin/sh -c #(nop)  LABEL built.by=berth|0B", lines[0]);
        Assert.Equal("/bin/sh -c #(nop)  CMD [\"/opt/out/version.txt\"]|0B", lines[1]);
        Assert.Equal("/bin/sh -c #(nop)  ENTRYPOINT [\"cat\"]|0B", lines[2]);
        // moby formats it with %q: the struct's fields quoted in order, Retries as a character literal.
        Assert.Contains("/bin/sh -c #(nop)  HEALTHCHECK &{[\"CMD-SHELL\" \"test -f /opt/out/main.txt || exit 1\"] \"5s\" \"2s\" \"0s\" \"0s\" '\\x02'}|0B", lines);
        Assert.Contains("/bin/sh -c #(nop)  VOLUME [/data]|0B", lines);
        Assert.Contains("/bin/sh -c #(nop)  EXPOSE 8080 9090/udp|0B", lines);
        Assert.Contains("/bin/sh -c #(nop)  ENV MODE=prod PORT=8080|0B", lines);
        Assert.Contains(lines, l => l.StartsWith("/bin/sh -c #(nop) COPY --chown=app:app multi:", StringComparison.Ordinal) ||
                                    l.StartsWith("/bin/sh -c #(nop) COPY --chown=app:app file:", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("/bin/sh -c #(nop) ADD file:", StringComparison.Ordinal) && l.Contains(" in /opt/bundle/ ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("/bin/sh -c echo 'app:x:1000:1000", StringComparison.Ordinal) && !l.EndsWith("|0B", StringComparison.Ordinal));
    }

    [RootFact]
    public async Task Build_Target_StopsAtStageAndQuietPrintsId()
    {
        await using var ctx = new BuildContext(daemon, "target");
        ctx.File("Dockerfile", "FROM busybox AS one\nRUN echo one > /one\nFROM one AS two\nRUN echo two > /two\nFROM busybox\nRUN exit 9\n");
        var tag = ctx.Tag("t");
        var r = (await ctx.DockerBuildAsync("-q", "--target", "two", "-t", tag)).Ok("build --target");
        Assert.Matches("^sha256:[0-9a-f]{64}\n$", r.Stdout);
        Assert.Equal("one\ntwo\n", (await daemon.RunDockerAsync(["run", "--rm", tag, "cat", "/one", "/two"])).Ok("run").Stdout);
        var missing = await ctx.DockerBuildAsync("--target", "nope");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("target stage \"nope\" could not be found", missing.Stderr, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task Build_Heredocs_OnbuildAndShell()
    {
        await using var ctx = new BuildContext(daemon, "heredoc");
        ctx.File("Dockerfile", """
            FROM busybox
            ARG WHO=world
            COPY <<EOF /greet.txt
            hello $WHO
            EOF
            RUN <<EOS
            echo "line one" > /script.out
            echo "line two" >> /script.out
            EOS
            SHELL ["/bin/sh", "-ec"]
            RUN cat <<'EOT' > /literal.txt
            keep $WHO
            EOT
            ONBUILD RUN echo triggered > /onbuild.txt
            """);
        var parent = ctx.Tag("parent");
        (await ctx.DockerBuildAsync("-t", parent)).Ok("parent");
        Assert.Equal("hello world\nline one\nline two\nkeep $WHO\n",
            (await daemon.RunDockerAsync(["run", "--rm", parent, "cat", "/greet.txt", "/script.out", "/literal.txt"])).Ok("run").Stdout);

        await using var child = new BuildContext(daemon, "child");
        child.File("Dockerfile", $"FROM {parent}\nRUN test -f /onbuild.txt\n");
        var childTag = child.Tag("c");
        var r = (await child.DockerBuildAsync("-t", childTag)).Ok("child");
        Assert.Contains("# Executing 1 build trigger", r.Stdout, StringComparison.Ordinal);
        var onbuild = (await daemon.RunDockerAsync(["image", "inspect", "--format", "{{json .Config.OnBuild}}", childTag])).Ok("inspect").Stdout.Trim();
        Assert.Equal("null", onbuild);
    }

    [RootFact]
    public async Task Build_Errors_ReportedAsDocker()
    {
        await using var ctx = new BuildContext(daemon, "err");
        ctx.File("Dockerfile", "FROM busybox\nFOO bar\n");
        var parse = await ctx.DockerBuildAsync();
        Assert.Equal(1, parse.ExitCode);
        Assert.Contains("Error response from daemon: dockerfile parse error on line 2: unknown instruction: FOO", parse.Stderr, StringComparison.Ordinal);

        ctx.File("Dockerfile", "FROM busybox\nRUN echo to-stdout && exit 3\n");
        var run = await ctx.DockerBuildAsync();
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("to-stdout", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("The command '/bin/sh -c echo to-stdout && exit 3' returned a non-zero code: 3", run.Stderr, StringComparison.Ordinal);

        ctx.File("Dockerfile", "FROM busybox\nCOPY missing.txt /\n");
        var copy = await ctx.DockerBuildAsync();
        Assert.Equal(1, copy.ExitCode);
        Assert.Contains("COPY failed: file not found in build context or excluded by .dockerignore: stat missing.txt: file does not exist", copy.Stderr, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task DockerPy_ImagesBuild_ReturnsTaggedImage()
    {
        await using var ctx = new BuildContext(daemon, "py");
        ctx.File("Dockerfile", "FROM busybox\nARG MSG\nRUN echo \"$MSG\" > /msg\nCMD [\"cat\", \"/msg\"]\n");
        var tag = ctx.Tag("py");
        var r = await daemon.RunPythonAsync($$"""
            import os, docker
            c = docker.DockerClient(base_url=os.environ['DOCKER_HOST'], timeout=120)
            img, logs = c.images.build(path="{{ctx.Dir}}", tag="{{tag}}", buildargs={"MSG": "from python"}, rm=True)
            assert "{{tag}}" in img.tags, img.tags
            assert any("Successfully built" in l.get("stream", "") for l in logs)
            print(c.containers.run(img.id, remove=True).decode(), end="")
            """, TimeSpan.FromMinutes(2));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("from python\n", r.Stdout);
    }

    [RootFact]
    public async Task BerthBuild_DockerignoreFileOutsideContextAndIidfile()
    {
        await using var ctx = new BuildContext(daemon, "berth");
        ctx.File("keep.txt", "kept\n").File("secret.env", "PASSWORD=x\n").File("logs/a.log", "x\n").File("logs/important.log", "y\n")
           .File(".dockerignore", "*.env\nlogs\n!logs/important.log\n");
        var dockerfile = Path.Combine(Path.GetTempPath(), $"berth-df-{Guid.NewGuid():N}");
        File.WriteAllText(dockerfile, "FROM busybox\nCOPY . /ctx/\nRUN find /ctx -type f | sort\n");
        try
        {
            var tag = ctx.Tag("b");
            var iid = dockerfile + ".iid";
            var r = (await daemon.RunBerthAsync(["build", "-f", dockerfile, "-t", tag, "--iidfile", iid, ctx.Dir], timeout: TimeSpan.FromMinutes(2))).Ok("berth build");
            Assert.Contains("/ctx/keep.txt\n", r.Stdout, StringComparison.Ordinal);
            Assert.Contains("/ctx/logs/important.log\n", r.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("secret.env", r.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("a.log", r.Stdout, StringComparison.Ordinal);
            Assert.Contains($"Successfully tagged {tag}", r.Stdout, StringComparison.Ordinal);
            var id = File.ReadAllText(iid);
            Assert.Matches("^sha256:[0-9a-f]{64}$", id);
            var inspected = (await daemon.RunDockerAsync(["image", "inspect", "--format", "{{.Id}}", tag])).Ok("inspect").Stdout.Trim();
            Assert.Equal(id, inspected);
            File.Delete(iid);
        }
        finally
        {
            File.Delete(dockerfile);
        }
    }

    private static void MakeTarGz(string path, string name, string content)
    {
        using var file = File.Create(path);
        using var gz = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Fastest);
        using var tar = new System.Formats.Tar.TarWriter(gz);
        var entry = new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)), Mode = (UnixFileMode)0b110_100_100,
        };
        tar.WriteEntry(entry);
    }
}

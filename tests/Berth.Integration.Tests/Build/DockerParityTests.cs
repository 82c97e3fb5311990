using System.Formats.Tar;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Build;

/// <summary>
/// The same Dockerfile and context built by the real docker CLI (classic builder) against a private real dockerd and against
/// berthd: the image configs (what <c>docker save</c> carries) must say the same things and the histories must match line by
/// line. Ids, dates and layer digests differ by nature (a RUN's files get new mtimes) and are left out, nothing else.
/// </summary>
[Collection(DaemonCollection.Name)]
public sealed class DockerParityTests(DaemonFixture daemon)
{
    /// <summary>The seeds' patterns that Docker's classic builder knows (no heredocs, no RUN --mount: those need BuildKit).</summary>
    private const string SeedPatterns = """
        ARG BASE=busybox
        FROM ${BASE} AS build
        ARG VERSION=1.0
        WORKDIR /src
        COPY src/ ./
        RUN mkdir -p /out && echo "version $VERSION" > /out/version.txt && cp main.txt /out/

        FROM ${BASE}
        MAINTAINER someone@example.invalid
        ARG UID=1000
        RUN echo "app:x:$UID:$UID::/home/app:/bin/sh" >> /etc/passwd && echo "app:x:$UID:" >> /etc/group && mkdir -p /home/app && chown app:app /home/app
        COPY --from=build /out /opt/out
        COPY --chown=app:app src/*.txt /home/app/
        ADD bundle.tar /opt/bundle/
        ENV MODE=prod \
            PORT=8080
        ENV LEGACY form with spaces
        LABEL org.opencontainers.image.title="demo app" maintainer=me
        EXPOSE $PORT 9090/udp
        VOLUME ["/data"]
        VOLUME /cache /logs
        SHELL ["/bin/sh", "-e", "-c"]
        RUN ["/bin/sh", "-c", "echo exec form > /opt/exec.txt"]
        RUN true
        HEALTHCHECK --interval=5s --timeout=2s --start-period=1s --retries=2 CMD test -f /opt/out/main.txt || exit 1
        STOPSIGNAL SIGINT
        ONBUILD RUN echo downstream
        USER app
        WORKDIR /home/app
        ENTRYPOINT ["cat"]
        CMD ["/opt/out/version.txt"]
        """;

    [RootFact(E2E.Docker, PrivateDockerd.Binary)]
    public async Task SeedPatterns_ConfigAndHistory_MatchRealDockerClassicBuilder()
    {
        await using var ctx = new BuildContext(daemon, "parity");
        ctx.File("Dockerfile", SeedPatterns).File("src/main.txt", "hello\n").File("src/other.txt", "other\n");
        MakeTar(Path.Join(ctx.Dir, "bundle.tar"), "inner/f.txt", "tarred\n");
        var tag = ctx.Tag("p");
        var buildArgs = new[] { "--build-arg", "VERSION=2.5", "--label", "built.by=parity", "-t", tag };

        await using var dockerd = await PrivateDockerd.StartWithBusyboxAsync(daemon);

        (await ctx.DockerBuildAsync(buildArgs)).Ok("docker build on berthd");
        var reference = await ProcessRunner.RunAsync(DaemonFixture.DockerCliPath, ["build", .. buildArgs, ctx.Dir], dockerd.Environment, null, TimeSpan.FromMinutes(3));
        reference.Ok("docker build on dockerd");

        var ours = await SavedConfigAsync(tag, daemon.ClientEnvironment, daemon.TempRoot);
        var docker = await SavedConfigAsync(tag, dockerd.Environment, dockerd.Root);

        Assert.Equal(Normalized(docker["config"]!), Normalized(ours["config"]!));
        Assert.Equal(docker["architecture"]!.ToJsonString(), ours["architecture"]!.ToJsonString());
        Assert.Equal(docker["os"]!.ToJsonString(), ours["os"]!.ToJsonString());
        Assert.Equal(docker["author"]?.ToJsonString(), ours["author"]?.ToJsonString());
        var version = (await dockerd.DockerAsync(["version", "-f", "{{.Server.Version}}"])).Ok("version").Stdout.Trim();
        // Our lines go through the same rewrites (a no-op for them but the from-stage hash, hidden on both sides alike).
        Assert.Equal(History(docker, version), History(ours, version));
        Assert.Equal(docker["rootfs"]!["diff_ids"]!.AsArray().Count, ours["rootfs"]!["diff_ids"]!.AsArray().Count);

        // And the image behaves the same.
        var run = (await daemon.RunDockerAsync(["run", "--rm", tag])).Ok("run on berthd").Stdout;
        var runDocker = (await dockerd.DockerAsync(["run", "--rm", "--network", "none", tag])).Ok("run on dockerd").Stdout;
        Assert.Equal(runDocker, run);
        await dockerd.DockerAsync(["rmi", "-f", tag]);
    }

    /// <summary>The image config blob from <c>docker save</c>, the file Docker writes.</summary>
    private static async Task<JsonNode> SavedConfigAsync(string tag, IReadOnlyDictionary<string, string?> env, string scratch)
    {
        var archive = Path.Join(scratch, "parity-" + Guid.NewGuid().ToString("N")[..8] + ".tar");
        (await ProcessRunner.RunAsync(DaemonFixture.DockerCliPath, ["save", "-o", archive, tag], env, null, TimeSpan.FromMinutes(2))).Ok("save " + tag);
        try
        {
            var manifest = JsonNode.Parse(TarArchive.ReadEntry(archive, "manifest.json"))!.AsArray();
            return JsonNode.Parse(TarArchive.ReadEntry(archive, manifest[0]!["Config"]!.GetValue<string>()))!;
        }
        finally { File.Delete(archive); }
    }

    /// <summary>
    /// The config without what names a particular build: <c>Image</c> (the parent's id) and <c>Hostname</c> (the step container's
    /// id, in older Dockers). Keys are sorted so the comparison is of content, not of the order a JSON writer chose.
    /// </summary>
    private static string Normalized(JsonNode config)
    {
        var copy = JsonNode.Parse(config.ToJsonString())!.AsObject();
        copy.Remove("Image");
        copy.Remove("Hostname");
        return Sorted(copy)!.ToJsonString();
    }

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Sorted).ToArray()),
        null => null,
        _ => JsonNode.Parse(node.ToJsonString()),
    };

    /// <summary>
    /// Each history entry as Docker writes it, minus its date: created_by, empty_layer, author and comment. The COPY/ADD source
    /// names (<c>file:</c>, <c>dir:</c>, <c>multi:</c> hashes) are compared exactly. Where an older reference dockerd (Debian's is
    /// 20.10) wrote something Docker 28 no longer writes, that one thing is rewritten to Docker 28's form, nothing else.
    /// </summary>
    private static List<string> History(JsonNode config, string serverVersion)
    {
        var major = int.Parse(serverVersion.Split('.')[0], System.Globalization.CultureInfo.InvariantCulture);
        return config["history"]!.AsArray().Select(h =>
        {
            var createdBy = h!["created_by"]?.GetValue<string>() ?? "";
            // Docker 25 added StartInterval to the health config: Docker 28 shows it ("0s", as the Dockerfile sets none) before Retries.
            if (major < 25) createdBy = Regex.Replace(createdBy, @"(HEALTHCHECK &\{\[.*\] ""[^""]*"" ""[^""]*"" ""[^""]*"") ('.*'\})$", "$1 \"0s\" $2");
            if (major < 23) createdBy = ChownBlankBefore23(createdBy);
            if (major < 23) createdBy = FromStageHashBefore23(createdBy);
            return $"{createdBy}|empty={h["empty_layer"]?.GetValue<bool>() ?? false}|author={h["author"]?.GetValue<string>()}|comment={h["comment"]?.GetValue<string>()}";
        }).ToList();
    }

    /// <summary>
    /// Docker before 23 wrote "--chown=app:appmulti:&lt;hash&gt;"; moby 43b1afb2cf (May 2023) added the blank, and Docker 28 writes
    /// "--chown=%s " (moby v28.5.2 builder/dockerfile/internals.go:128, daemon/builder/dockerfile/internals.go:129 on master).
    /// </summary>
    private static string ChownBlankBefore23(string createdBy) =>
        Regex.Replace(createdBy, @"(--chown=\S+?)((?:dir|file|multi):[0-9a-f]{64})", "$1 $2");

    /// <summary>
    /// A source copied from another stage is hashed from disk (moby remotecontext lazycontext.go, filehash.go). Docker before 23
    /// put the file-type bits in the mode (pkg/archive fillGo18FileTypeBits, removed by moby cddaa84777) and looked up user and
    /// group names (Go's tar.FileInfoHeader; go-archive FileInfoHeaderNoLookups since), so its names for those sources differ
    /// from Docker 28's by design. Only the seed's one such line (<c>COPY --from=build /out /opt/out</c>) is left out; the
    /// context's sources, named from the tar the CLI sends, are compared exactly.
    /// </summary>
    private static string FromStageHashBefore23(string createdBy) =>
        createdBy.EndsWith(" in /opt/out ", StringComparison.Ordinal) ? Regex.Replace(createdBy, @"\bdir:[0-9a-f]{64}\b", "dir:<from-stage hash>") : createdBy;

    private static void MakeTar(string path, string name, string content)
    {
        using var file = File.Create(path);
        using var writer = new TarWriter(file, TarEntryFormat.Ustar);
        var entry = new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)) };
        writer.WriteEntry(entry);
    }
}

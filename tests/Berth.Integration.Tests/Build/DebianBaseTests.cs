using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Build;

/// <summary>
/// The seeds' Dockerfile patterns on the second offline base: a Debian bookworm minbase root made by debootstrap in setup
/// (scripts/lib.sh debian_base), imported, then built on with the real docker CLI: multi-stage, ARG/ENV/LABEL, a system user
/// made with useradd, COPY --from --chown, VOLUME, EXPOSE, USER, HEALTHCHECK, ENTRYPOINT + CMD.
/// </summary>
[Collection(DaemonCollection.Name)]
public sealed class DebianBaseTests(DaemonFixture daemon)
{
    private const string BaseTar = "/var/cache/berth-test/debian-bookworm-minbase.tar";

    private const string Dockerfile = """
        ARG BASE
        FROM ${BASE} AS build
        WORKDIR /src
        COPY app.sh .
        RUN chmod 0755 app.sh && sh -n app.sh && dpkg -s coreutils >/dev/null

        FROM ${BASE}
        ARG APP_VERSION=1.0
        ENV APP_VERSION=${APP_VERSION} PORT=8080
        LABEL org.opencontainers.image.version=${APP_VERSION}
        RUN groupadd -r app && useradd -r -g app -d /app -s /bin/sh app
        WORKDIR /app
        COPY --from=build --chown=app:app /src/app.sh ./app.sh
        VOLUME /data
        EXPOSE 8080
        USER app
        HEALTHCHECK --interval=1s --timeout=2s --retries=3 CMD test -f /tmp/healthy || exit 1
        ENTRYPOINT ["/app/app.sh"]
        CMD ["serve"]
        """;

    private const string App = """
        #!/bin/sh
        touch /tmp/healthy
        echo "mode=$1 user=$(id -un) version=$APP_VERSION debian=$(cat /etc/debian_version | cut -d. -f1)"
        if [ "$1" = serve ]; then exec sleep 300; fi
        """;

    [RootFact(E2E.Docker, BaseTar)]
    public async Task SeedPatterns_OnDebootstrapBase_BuildAndRun()
    {
        var baseImage = E2E.UniqueName("debian-base") + ":bookworm";
        var name = E2E.UniqueName("deb-app");
        await using var ctx = new BuildContext(daemon, "deb");
        try
        {
            (await daemon.RunDockerAsync(["import", BaseTar, baseImage], timeout: TimeSpan.FromMinutes(2))).Ok("import the debootstrap base");
            ctx.File("Dockerfile", Dockerfile).File("app.sh", App);
            var tag = ctx.Tag("1");
            (await ctx.DockerBuildAsync("-t", tag, "--build-arg", "BASE=" + baseImage, "--build-arg", "APP_VERSION=2.0")).Ok("docker build");

            var once = (await daemon.RunDockerAsync(["run", "--rm", tag, "once"], timeout: TimeSpan.FromSeconds(60))).Ok("run once");
            Assert.Equal("mode=once user=app version=2.0 debian=12\n", once.Stdout);
            Assert.Equal("2.0\n", (await daemon.RunDockerAsync(["image", "inspect", "-f", "{{index .Config.Labels \"org.opencontainers.image.version\"}}", tag])).Ok("label").Stdout);
            var denied = await daemon.RunDockerAsync(["run", "--rm", "--entrypoint", "sh", tag, "-c", "touch /etc/owned-by-app"]);
            Assert.NotEqual(0, denied.ExitCode);
            Assert.Contains("Permission denied", denied.Stderr + denied.Stdout);

            (await daemon.RunDockerAsync(["run", "-d", "--name", name, tag])).Ok("run -d");
            await E2E.EventuallyAsync(async () => (await daemon.RunDockerAsync(["inspect", "-f", "{{.State.Health.Status}}", name])).Stdout.Trim(),
                s => s == "healthy", TimeSpan.FromSeconds(30), "the health check passing");
            Assert.Equal("/data\n", (await daemon.RunDockerAsync(["inspect", "-f", "{{range .Mounts}}{{.Destination}}{{end}}", name])).Ok("mounts").Stdout);
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(name);
            await daemon.RunDockerAsync(["rmi", "-f", baseImage], timeout: TimeSpan.FromSeconds(60));
        }
    }
}

using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Build;

/// <summary><c>berth build --secret</c> with <c>RUN --mount=type=secret</c>: readable in the RUN, nowhere in the image, the log or the cache key.</summary>
[Collection(DaemonCollection.Name)]
public sealed class BuildSecretTests(DaemonFixture daemon)
{
    [RootFact]
    public async Task BerthBuild_SecretMount_ReadableInRunAbsentFromImageAndCache()
    {
        await using var ctx = new BuildContext(daemon, "secret");
        var secret = "s3cr3t-" + Guid.NewGuid().ToString("N");
        var envSecret = "envs3cr3t-" + Guid.NewGuid().ToString("N");
        var secretFile = Path.Join(daemon.TempRoot, "secret-" + Guid.NewGuid().ToString("N")[..8]);
        await File.WriteAllTextAsync(secretFile, secret);
        ctx.File("Dockerfile", """
            FROM busybox
            RUN --mount=type=secret,id=tok,required md5sum /run/secrets/tok && stat -c "mode=%a uid=%u" /run/secrets/tok
            RUN --mount=type=secret,id=envtok,target=/etc/e,mode=0444,uid=1 stat -c "mode=%a uid=%u" /etc/e && md5sum /etc/e
            RUN --mount=type=secret,id=missing test ! -e /run/secrets/missing
            """);
        var tag = ctx.Tag("s");
        try
        {
            var build = (await BerthBuildAsync(ctx, secretFile, envSecret, "-t", tag)).Ok("berth build --secret");
            Assert.Contains(Md5(secret) + "  /run/secrets/tok", build.Stdout, StringComparison.Ordinal);
            Assert.Contains("mode=400 uid=0", build.Stdout, StringComparison.Ordinal);
            Assert.Contains("mode=444 uid=1", build.Stdout, StringComparison.Ordinal);
            Assert.Contains(Md5(envSecret) + "  /etc/e", build.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, build.Stdout + build.Stderr, StringComparison.Ordinal);

            // Not in any layer (save, decompressed), not in the exported file system, not in the history or the config.
            var save = Path.Join(daemon.TempRoot, "save-" + Guid.NewGuid().ToString("N")[..8] + ".tar");
            (await daemon.RunDockerAsync(["save", "-o", save, tag])).Ok("save");
            try
            {
                Assert.False(TarContains(save, secret), "the secret is in a saved layer");
                Assert.False(TarContains(save, envSecret), "the env secret is in a saved layer");
            }
            finally
            {
                File.Delete(save);
            }
            var history = (await daemon.RunDockerAsync(["history", "--no-trunc", tag])).Ok("history").Stdout;
            var inspect = (await daemon.RunDockerAsync(["image", "inspect", tag])).Ok("inspect").Stdout;
            Assert.DoesNotContain(secret, history + inspect, StringComparison.Ordinal);
            Assert.DoesNotContain(envSecret, history + inspect, StringComparison.Ordinal);
            Assert.Equal("\n", (await daemon.RunDockerAsync(["run", "--rm", tag, "sh", "-c", "cat /etc/e /run/secrets/tok 2>/dev/null; echo"])).Stdout);
            // Nowhere on the daemon's disk (metadata, blobs, unpacked layers, cache records, logs) and no file left on /dev/shm.
            Assert.Equal("", await FilesContainingAsync(daemon.TempRoot, secret, envSecret, secretFile));
            Assert.Equal("", await FilesContainingAsync("/dev/shm", secret, envSecret, null));

            // A new secret value does not bust the cache (BuildKit's behaviour): the secret is not part of the step.
            await File.WriteAllTextAsync(secretFile, secret + "-rotated");
            var again = (await BerthBuildAsync(ctx, secretFile, envSecret + "-rotated", "-t", tag)).Ok("rebuild with new secrets");
            Assert.All(BuildContext.Steps(again.Stdout).Skip(1), s => Assert.True(s.Cached, s.Step + "\n" + again.Stdout));

            // required: a missing secret fails the step.
            ctx.File("Dockerfile", "FROM busybox\nRUN --mount=type=secret,id=nope,required true\n");
            var missing = await BerthBuildAsync(ctx, secretFile, envSecret, "-t", ctx.Tag("missing"));
            Assert.NotEqual(0, missing.ExitCode);
            Assert.Contains("secret nope: not found", missing.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(secretFile);
        }
    }

    private Task<CommandResult> BerthBuildAsync(BuildContext ctx, string secretFile, string envValue, params string[] args)
    {
        var env = new Dictionary<string, string?>(daemon.ClientEnvironment) { ["BERTH_TEST_SECRET"] = envValue };
        return ProcessRunner.RunAsync(RepoPaths.Berth,
            ["-H", daemon.DockerHost, "build", "--secret", $"id=tok,src={secretFile}", "--secret", "id=envtok,env=BERTH_TEST_SECRET", .. args, ctx.Dir],
            env, null, TimeSpan.FromMinutes(2));
    }

    /// <summary>
    /// Regular files under <paramref name="root"/> holding either text, found by grep without crossing into other mounts (the
    /// running containers' overlay roots are views of layers already searched); the secret's own source file is left out.
    /// </summary>
    private static async Task<string> FilesContainingAsync(string root, string a, string b, string? except)
    {
        var script = "find \"$1\" -xdev -type f -print0 | xargs -0 -r grep -l -F -e \"$2\" -e \"$3\" 2>/dev/null | grep -v -x -F -e \"$4\" || true";
        var r = await ProcessRunner.RunAsync("/bin/sh", ["-c", script, "sh", root, a, b, except ?? "/nonexistent"], null, null, TimeSpan.FromMinutes(2));
        return r.Stdout.Trim();
    }

    private static string Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Whether any file in the archive, or in a (possibly gzipped) layer tar inside it, contains the text.</summary>
    private static bool TarContains(string path, string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        using var file = File.OpenRead(path);
        using var reader = new TarReader(file);
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.DataStream is null) continue;
            var data = new MemoryStream();
            entry.DataStream.CopyTo(data);
            var bytes = data.ToArray();
            if (bytes.Length > 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
            {
                using var gz = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
                var plain = new MemoryStream();
                gz.CopyTo(plain);
                bytes = plain.ToArray();
            }
            if (bytes.AsSpan().IndexOf(needle) >= 0) return true;
        }
        return false;
    }
}

using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.EndToEnd;

/// <summary>json-file logs rotate by max-size/max-file (gzipped with compress) and `docker logs` still returns every retained line, in order.</summary>
[Collection(DaemonCollection.Name)]
public sealed class LogRotationTests(DaemonFixture daemon)
{
    [RootFact(E2E.Docker)]
    public async Task Logs_OverMaxSize_RotateAndRetainedLinesStayReadable()
    {
        var name = E2E.UniqueName("rot");
        try
        {
            // ~60 KB/s of numbered lines for ~4 s against a 32 KB limit: several rotations happen.
            const string script = "i=0; while [ $i -lt 4000 ]; do echo line-$i-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; i=$((i+1)); [ $((i % 60)) -eq 0 ] && usleep 60000; done; true";
            (await daemon.RunDockerAsync(["run", "--name", name, "--log-opt", "max-size=32k", "--log-opt", "max-file=3", "busybox", "sh", "-c", script],
                timeout: TimeSpan.FromSeconds(60))).Ok("chatty container");
            var logs = (await daemon.RunDockerAsync(["logs", name], timeout: TimeSpan.FromSeconds(30))).Ok("docker logs");
            var lines = logs.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Contains("line-3999-", lines[^1], StringComparison.Ordinal);
            Assert.DoesNotContain(lines, l => l.StartsWith("line-0-", StringComparison.Ordinal)); // rotated away
            // What is retained is one contiguous run ending at the last line.
            var first = int.Parse(lines[0].Split('-')[1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(4000 - first, lines.Length);
            // The log stores the bytes as written (plus a small header per read): what is kept fits max-file × max-size,
            // with one file's worth of slack for rotation's polling.
            var kept = lines.Sum(l => l.Length + 1);
            Assert.True(kept <= 3 * 32 * 1024 + 32 * 1024, $"kept {lines.Length} lines ({kept} bytes), more than max-file × max-size allows");
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(name);
        }
    }

    /// <summary>
    /// compress=true (json-file) and the local driver's default gzip rotated files as Docker does; `docker logs`
    /// reads them back with the plain ones, in order.
    /// </summary>
    [RootFact(E2E.Docker)]
    public Task JsonFileCompress_RotatedFilesAreGzipAndStayReadable() => CompressedRotationAsync("json-file", "compress=true");

    [RootFact(E2E.Docker)]
    public Task LocalDriver_CompressesByDefault() => CompressedRotationAsync("local", null);

    private async Task CompressedRotationAsync(string driver, string? compressOpt)
    {
        var name = E2E.UniqueName("gz");
        try
        {
            const string script = "i=0; while [ $i -lt 3000 ]; do echo line-$i-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; i=$((i+1)); [ $((i % 60)) -eq 0 ] && usleep 60000; done; true";
            List<string> args = ["run", "--name", name, "--log-driver", driver, "--log-opt", "max-size=32k", "--log-opt", "max-file=4"];
            if (compressOpt is not null) args.AddRange(["--log-opt", compressOpt]);
            (await daemon.RunDockerAsync([.. args, "busybox", "sh", "-c", script], timeout: TimeSpan.FromSeconds(60))).Ok("chatty container");
            var logPath = (await daemon.RunDockerAsync(["inspect", "-f", "{{.LogPath}}", name])).Ok("inspect").Stdout.Trim();

            // Compression runs in the background after each rotation; wait for the last one to finish.
            await E2E.EventuallyAsync(() => Task.FromResult(File.Exists(logPath + ".1")), plain => !plain, TimeSpan.FromSeconds(15), "the newest rotated file compressed");
            var rotated = Enumerable.Range(1, 3).Select(i => $"{logPath}.{i}.gz").Where(File.Exists).ToList();
            Assert.Equal(3, rotated.Count);
            Assert.DoesNotContain(Enumerable.Range(1, 4).Select(i => $"{logPath}.{i}"), File.Exists);
            foreach (var gz in rotated)
            {
                using var reader = new StreamReader(new System.IO.Compression.GZipStream(File.OpenRead(gz), System.IO.Compression.CompressionMode.Decompress));
                var text = reader.ReadToEnd();
                Assert.StartsWith("BERTHLG1", text, StringComparison.Ordinal); // berth-monitor's record format, gzipped whole
                Assert.Contains("line-", text, StringComparison.Ordinal);
            }

            var logs = (await daemon.RunDockerAsync(["logs", name], timeout: TimeSpan.FromSeconds(30))).Ok("docker logs");
            var lines = logs.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Contains("line-2999-", lines[^1], StringComparison.Ordinal);
            var first = int.Parse(lines[0].Split('-')[1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(first > 0, "the oldest lines were rotated away");
            Assert.Equal(Enumerable.Range(first, 3000 - first).Select(i => $"line-{i}-"), lines.Select(l => l[..(l.IndexOf('-', 5) + 1)]));
        }
        finally
        {
            await daemon.RemoveQuietlyAsync(name);
        }
    }

    [RootFact(E2E.Docker)]
    public async Task Compress_BadValuesRejectedInDockersWords()
    {
        var bad = await daemon.RunDockerAsync(["create", "--log-opt", "compress=maybe", "busybox", "true"]);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("strconv.ParseBool: parsing \"maybe\": invalid syntax", bad.Stderr, StringComparison.Ordinal);
        var single = await daemon.RunDockerAsync(["create", "--log-opt", "compress=true", "--log-opt", "max-file=1", "busybox", "true"]);
        Assert.NotEqual(0, single.ExitCode);
        Assert.Contains("compress cannot be true when max-file is less than 2", single.Stderr, StringComparison.Ordinal);
        var local = await daemon.RunDockerAsync(["create", "--log-driver", "local", "--log-opt", "max-file=1", "busybox", "true"]);
        Assert.NotEqual(0, local.ExitCode);
        Assert.Contains("compression cannot be enabled when max file count is 1", local.Stderr, StringComparison.Ordinal);
    }
}

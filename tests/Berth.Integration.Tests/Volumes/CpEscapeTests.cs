using System.Formats.Tar;
using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Volumes;

/// <summary>
/// A container that plants symlinks to "/", "/etc" or a host directory cannot get <c>docker cp</c> (or the raw archive API) to read
/// or write a host file: every path resolves inside the container's root. Each attempt is its own test, on a running container
/// and, where the code path differs, a stopped one.
/// </summary>
[Collection(DaemonCollection.Name)]
public sealed class CpEscapeTests(DaemonFixture daemon) : IAsyncLifetime
{
    private const string Secret = "host-secret-do-not-leak";
    private readonly string _hostDir = Path.Combine(Path.GetTempPath(), "berth-it-host-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly string _name = E2E.UniqueName("evil");

    private Task<CommandResult> Docker(params string[] args) => daemon.RunDockerAsync(args, timeout: TimeSpan.FromSeconds(60));

    public async Task InitializeAsync()
    {
        if (!Environment.IsPrivilegedProcess && Environment.GetEnvironmentVariable("CI") != "true") return;
        Directory.CreateDirectory(_hostDir);
        await File.WriteAllTextAsync(Path.Combine(_hostDir, "secret"), Secret);
        // The container points links at the host paths by absolute name, by climbing with "..", and at "/" and "/etc".
        var plant = $"ln -s / /rootlink; ln -s /etc /etclink; ln -s {_hostDir} /hostdir; ln -s {_hostDir}/secret /secretlink; " +
                    $"ln -s ../../../../../../..{_hostDir} /climb; mkdir -p /inbox; ln -s {_hostDir} /inbox/out";
        (await Docker("run", "-d", "--name", _name, "busybox", "sh", "-c", plant + "; exec sleep 1000")).Ok("plant links");
        await E2E.EventuallyAsync(() => Docker("exec", _name, "readlink", "/inbox/out"), r => r.ExitCode == 0, TimeSpan.FromSeconds(10), "links planted");
    }

    public async Task DisposeAsync()
    {
        if (!Directory.Exists(_hostDir)) return;
        await daemon.RemoveQuietlyAsync(_name);
        Directory.Delete(_hostDir, recursive: true);
    }

    private async Task StopAsync() => (await Docker("stop", "-t", "0", _name)).Ok("stop");

    private async Task<CommandResult> CpOutAsync(string path, string? flag = null)
    {
        var dest = Path.Combine(Path.GetTempPath(), "berth-it-out-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var args = flag is null ? new[] { "cp", _name + ":" + path, dest } : ["cp", flag, _name + ":" + path, dest];
            var r = await Docker(args);
            var leaked = Directory.Exists(dest)
                ? Directory.EnumerateFiles(dest, "*", SearchOption.AllDirectories).Any(f => new FileInfo(f).LinkTarget is null && File.ReadAllText(f).Contains(Secret, StringComparison.Ordinal))
                : File.Exists(dest) && new FileInfo(dest).LinkTarget is null && (await File.ReadAllTextAsync(dest)).Contains(Secret, StringComparison.Ordinal);
            Assert.False(leaked, $"cp {path} read the host's secret");
            return r;
        }
        finally
        {
            if (Directory.Exists(dest)) Directory.Delete(dest, recursive: true);
            else if (File.Exists(dest) || new FileInfo(dest).LinkTarget is not null) File.Delete(dest);
        }
    }

    private void AssertHostDirUntouched() => Assert.Equal(["secret"], Directory.EnumerateFileSystemEntries(_hostDir).Select(f => Path.GetFileName(f)).ToList());

    [RootFact(E2E.Docker)]
    public async Task Read_ThroughLinkToHostDirectory_Running() => Assert.NotEqual(0, (await CpOutAsync("/hostdir/secret")).ExitCode);

    [RootFact(E2E.Docker)]
    public async Task Read_ThroughLinkToHostDirectory_Stopped()
    {
        await StopAsync();
        Assert.NotEqual(0, (await CpOutAsync("/hostdir/secret")).ExitCode);
    }

    [RootFact(E2E.Docker)]
    public async Task Read_ThroughLinkToRoot_GetsContainerFiles()
    {
        var r = (await Docker("cp", _name + ":/rootlink/etc/passwd", "-")).Ok("cp through /rootlink");
        var entries = CpTests.TarEntries(System.Text.Encoding.Latin1.GetBytes(r.Stdout));
        Assert.StartsWith("root:x:0:0:root:/root:/bin/sh", entries["passwd"], StringComparison.Ordinal);
        Assert.Equal(await ContainerFileAsync("/etc/passwd"), entries["passwd"]);
        Assert.NotEqual(0, (await CpOutAsync("/rootlink" + _hostDir + "/secret")).ExitCode);
    }

    [RootFact(E2E.Docker)]
    public async Task Read_ThroughLinkToEtc_GetsContainerEtc()
    {
        var out1 = await CpOutAsync("/etclink/hostname");
        Assert.Equal(0, out1.ExitCode);
    }

    [RootFact(E2E.Docker)]
    public async Task Read_ThroughDotDotClimb_StaysInside() => Assert.NotEqual(0, (await CpOutAsync("/climb/secret")).ExitCode);

    [RootFact(E2E.Docker)]
    public async Task Read_LinkItself_IsArchivedAsLink()
    {
        var r = (await Docker("cp", _name + ":/secretlink", "-")).Ok("cp the link");
        var entries = CpTests.TarEntries(System.Text.Encoding.Latin1.GetBytes(r.Stdout));
        Assert.Equal("-> " + _hostDir + "/secret", entries["secretlink"]);
    }

    [RootFact(E2E.Docker)]
    public async Task Read_FollowLinkFlag_ResolvesInsideContainer() => Assert.NotEqual(0, (await CpOutAsync("/secretlink", "-L")).ExitCode);

    [RootFact(E2E.Docker)]
    public async Task Write_IntoLinkToHostDirectory_Running()
    {
        var file = Path.Combine(Path.GetTempPath(), "berth-it-pwn-" + Guid.NewGuid().ToString("N")[..8]);
        await File.WriteAllTextAsync(file, "pwn");
        try
        {
            await Docker("cp", file, _name + ":/inbox/out/");
            await Docker("cp", file, _name + ":/hostdir/pwned");
            await Docker("cp", file, _name + ":/rootlink" + _hostDir + "/");
            AssertHostDirUntouched();
        }
        finally { File.Delete(file); }
    }

    [RootFact(E2E.Docker)]
    public async Task Write_IntoLinkToHostDirectory_Stopped()
    {
        await StopAsync();
        var file = Path.Combine(Path.GetTempPath(), "berth-it-pwn-" + Guid.NewGuid().ToString("N")[..8]);
        await File.WriteAllTextAsync(file, "pwn");
        try
        {
            await Docker("cp", file, _name + ":/inbox/out/");
            await Docker("cp", file, _name + ":/climb/");
            AssertHostDirUntouched();
        }
        finally { File.Delete(file); }
    }

    [RootFact(E2E.Docker)]
    public async Task Write_ArchiveThatPlantsLinkThenWritesThroughIt()
    {
        // A raw PUT: the tar first makes "door" -> host dir, then writes "door/pwned".
        var tar = new MemoryStream();
        using (var w = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "door") { LinkName = _hostDir });
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "door/pwned") { DataStream = new MemoryStream("pwn"u8.ToArray()) });
        }
        using var http = daemon.CreateApiClient();
        using var response = await http.PutAsync($"/containers/{_name}/archive?path=/inbox", new ByteArrayContent(tar.ToArray()));
        AssertHostDirUntouched();
        // The link itself was made, inside the container, pointing at a path that exists only on the host.
        var link = (await Docker("exec", _name, "readlink", "/inbox/door")).Ok("readlink door");
        Assert.Equal(_hostDir + "\n", link.Stdout);
    }

    [RootFact(E2E.Docker)]
    public async Task Write_ArchiveWithDotDotEntries_IsRefused()
    {
        var tar = new MemoryStream();
        using (var w = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "../../../../../../../.." + _hostDir + "/pwned") { DataStream = new MemoryStream("pwn"u8.ToArray()) });
        using var http = daemon.CreateApiClient();
        using var response = await http.PutAsync($"/containers/{_name}/archive?path=/inbox", new ByteArrayContent(tar.ToArray()));
        Assert.Equal(400, (int)response.StatusCode);
        AssertHostDirUntouched();
    }

    [RootFact(E2E.Docker)]
    public async Task Stat_OfLinkReportsTargetInsideContainer()
    {
        using var http = daemon.CreateApiClient();
        using var request = new HttpRequestMessage(HttpMethod.Head, $"/containers/{_name}/archive?path=/climb");
        using var response = await http.SendAsync(request);
        Assert.Equal(200, (int)response.StatusCode);
        var json = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(response.Headers.GetValues("X-Docker-Container-Path-Stat").Single()));
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal(_hostDir, doc.RootElement.GetProperty("linkTarget").GetString());   // the container's path, clamped at its root
        Assert.NotEqual(0u, doc.RootElement.GetProperty("mode").GetUInt32() & (1u << 27));
    }

    private async Task<string> ContainerFileAsync(string path) => (await Docker("exec", _name, "cat", path)).Ok("cat " + path).Stdout;
}

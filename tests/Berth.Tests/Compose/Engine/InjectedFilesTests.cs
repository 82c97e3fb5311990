using System.Formats.Tar;
using Berth.Api.Models.Containers;
using Berth.Compose;
using Berth.Compose.Engine;
using Berth.Compose.Model;

namespace Berth.Tests.Compose.Engine;

/// <summary>Secrets and configs given by <c>environment:</c> or <c>content:</c>: what is written where, and the tar that carries it.</summary>
public sealed class InjectedFilesTests : IDisposable
{
    private readonly ComposeTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private const string Yaml = """
        services:
          api:
            image: busybox
            secrets:
              - token
              - source: token
                target: again
                uid: "1000"
                gid: "1001"
                mode: 0400
              - disk
            configs:
              - greeting
              - source: settings
                target: /etc/app/settings.ini
                mode: 0640
        secrets:
          token:
            environment: API_TOKEN
          disk:
            file: ./disk.txt
        configs:
          greeting:
            content: hello $${USER} from ${WHO}
          settings:
            environment: SETTINGS
        """;

    private ComposeProject Load(Dictionary<string, string> env) => _dir.Text(Yaml, env);

    [Fact]
    public void For_ResolvesEnvironmentAndContent_AtComposeTargets()
    {
        var project = Load(new() { ["API_TOKEN"] = "s3cret", ["SETTINGS"] = "[app]\n", ["WHO"] = "tests" });
        var entries = InjectedFiles.For(project, project.Services["api"]);
        Assert.Equal(
            [("secret", "/run/secrets/token", "s3cret"), ("secret", "/run/secrets/again", "s3cret"), ("config", "/greeting", "hello ${USER} from tests"),
             ("config", "/etc/app/settings.ini", "[app]\n")],
            entries.Select(e => (e.Kind, e.Target, e.Content)));
        Assert.Equal("proj_token", entries[0].Name);
        Assert.False(entries[0].CopyUidGid);
        Assert.True(entries[1].CopyUidGid);
    }

    [Fact]
    public void For_UnsetVariable_IsComposesError()
    {
        var project = Load(new() { ["SETTINGS"] = "x", ["WHO"] = "w" });
        var ex = Assert.Throws<ComposeException>(() => InjectedFiles.For(project, project.Services["api"]));
        Assert.Equal("environment variable \"API_TOKEN\" required by secret \"proj_token\" is not set", ex.Message);
    }

    [Fact]
    public void For_ReadOnlyService_IsRefused_ButEmptyValuesWriteNothing()
    {
        var project = Load(new() { ["API_TOKEN"] = "t", ["SETTINGS"] = "", ["WHO"] = "w" });
        var readOnly = project.Services["api"] with { ReadOnly = true };
        var ex = Assert.Throws<ComposeException>(() => InjectedFiles.For(project, readOnly));
        Assert.Equal("cannot create secret \"proj_token\" in read-only service api: `file` is the sole supported option", ex.Message);
        Assert.DoesNotContain(InjectedFiles.For(project, project.Services["api"]), e => e.Target == "/etc/app/settings.ini");
    }

    [Fact]
    public async Task Tar_HoldsOneFile_WithModeAndIds()
    {
        var project = Load(new() { ["API_TOKEN"] = "s3cret", ["SETTINGS"] = "[app]\n", ["WHO"] = "w" });
        var entries = InjectedFiles.For(project, project.Services["api"]);
        var plain = await ReadSingleAsync(InjectedFiles.Tar(entries[0]));
        Assert.Equal(("run/secrets/token", (UnixFileMode)0x124, 0, 0, "s3cret"), plain);
        var owned = await ReadSingleAsync(InjectedFiles.Tar(entries[1]));
        Assert.Equal(("run/secrets/again", (UnixFileMode)0x100, 1000, 1001, "s3cret"), owned);
        var config = await ReadSingleAsync(InjectedFiles.Tar(entries[3]));
        Assert.Equal(("etc/app/settings.ini", (UnixFileMode)0x1A0, 0, 0, "[app]\n"), config);
    }

    [Fact]
    public void Mounts_BindOnlyFileBackedOnes()
    {
        _dir.Write("disk.txt", "on disk\n");
        var project = Load(new() { ["API_TOKEN"] = "t", ["SETTINGS"] = "s", ["WHO"] = "w" });
        var host = new HostConfig();
        ServiceMounts.Apply(project, project.Services["api"], host);
        var mount = Assert.Single(host.Mounts!);
        Assert.Equal(("bind", Path.Join(_dir.Root, "disk.txt"), "/run/secrets/disk", true), (mount.Type, mount.Source, mount.Target, mount.ReadOnly));
    }

    [Fact]
    public void OwnerAndMode_OnAFileBackedReference_AreWarnedAboutOnly()
    {
        var project = _dir.Text("services:\n  api:\n    image: busybox\n    secrets:\n      - source: disk\n        mode: 0400\n    configs:\n      - source: c\n        uid: \"1\"\n" +
            "secrets:\n  disk:\n    file: ./d\nconfigs:\n  c:\n    content: x\n");
        Assert.Equal(["secrets `uid`, `gid` and `mode` are not supported, they will be ignored"], InjectedFiles.IgnoredOptionWarnings(project, project.Services["api"]));
        // A value written in does honour them, so the config gets no warning.
        Assert.Equal("/c", Assert.Single(InjectedFiles.For(project, project.Services["api"])).Target);
    }

    [Fact]
    public void Mounts_ExternalSecret_IsUnsupported()
    {
        var project = _dir.Text("services:\n  api:\n    image: busybox\n    secrets: [ext]\nsecrets:\n  ext:\n    external: true\n");
        var ex = Assert.Throws<ComposeException>(() => ServiceMounts.Apply(project, project.Services["api"], new HostConfig()));
        Assert.Equal("unsupported external secret ext", ex.Message);
    }

    private static async Task<(string, UnixFileMode, int, int, string)> ReadSingleAsync(Stream tar)
    {
        using var reader = new TarReader(tar);
        var e = await reader.GetNextEntryAsync(copyData: true) ?? throw new InvalidOperationException("empty tar");
        using var text = new StreamReader(e.DataStream!);
        var content = await text.ReadToEndAsync();
        Assert.Null(await reader.GetNextEntryAsync());
        Assert.Equal(TarEntryType.RegularFile, e.EntryType);
        return (e.Name, e.Mode, e.Uid, e.Gid, content);
    }
}

using Berth.Api.Models.Volumes;
using Berth.Core.Errors;
using Berth.Services.Events;
using Berth.Services.Volumes;
using Berth.Storage;
using Berth.Storage.Volumes;
using Berth.Tests.Storage;

namespace Berth.Tests.Volumes;

/// <summary>The volume service over a real metadata store and local driver in a temp dir (plain volumes need no mounts).</summary>
public sealed class VolumeServiceTests : IDisposable
{
    private readonly TempDir _tmp = new();
    private readonly MetadataStore _meta;
    private readonly VolumeService _svc;
    private readonly Dictionary<string, List<string>> _users = [];

    public VolumeServiceTests()
    {
        _meta = new MetadataStore(_tmp.Sub("metadata.db"));
        _svc = new VolumeService(_meta, new LocalVolumeDriver(_tmp.Sub("volumes")), new EventHub())
        {
            UsersOf = n => _users.TryGetValue(n, out var u) ? u : [],
        };
    }

    public void Dispose()
    {
        _meta.Dispose();
        _tmp.Dispose();
    }

    [Fact]
    public void Create_MakesDataDirectory_AndIsIdempotent()
    {
        var v = _svc.Create(new VolumeCreateRequest { Name = "v1", Labels = new() { ["a"] = "b" } });
        Assert.True(Directory.Exists(v.Mountpoint));
        File.WriteAllText(Path.Join(v.Mountpoint, "f"), "x");
        var again = _svc.Create(new VolumeCreateRequest { Name = "v1" });
        Assert.Equal("b", again.Labels["a"]);
        Assert.True(File.Exists(Path.Join(v.Mountpoint, "f")));
    }

    [Fact]
    public void Create_Nameless_IsAnonymousWith64HexName()
    {
        var v = _svc.Create(new VolumeCreateRequest());
        Assert.Matches("^[0-9a-f]{64}$", v.Name);
        Assert.True(v.Labels.ContainsKey(VolumeService.AnonymousLabel));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("../x")]
    [InlineData("bad/name")]
    public void Create_InvalidName_Throws(string name) => Assert.Throws<InvalidArgumentException>(() => _svc.Create(new VolumeCreateRequest { Name = name }));

    [Fact]
    public void Create_UnknownOptionOrDriver_Throws()
    {
        Assert.Throws<InvalidArgumentException>(() => _svc.Create(new VolumeCreateRequest { Name = "v2", DriverOpts = new() { ["bogus"] = "1" } }));
        Assert.Throws<NotFoundException>(() => _svc.Create(new VolumeCreateRequest { Name = "v3", Driver = "nfs-plugin" }));
    }

    [Fact]
    public void Remove_InUse_IsConflictInDockerWords()
    {
        _svc.Create(new VolumeCreateRequest { Name = "busy" });
        _users["busy"] = ["c1"];
        var ex = Assert.Throws<ConflictException>(() => _svc.Remove("busy", force: false));
        Assert.Equal("remove busy: volume is in use - [c1]", ex.Message);
        _users.Clear();
        _svc.Remove("busy", force: false);
        Assert.Throws<NotFoundException>(() => _svc.Inspect("busy"));
        _svc.Remove("busy", force: true);   // force ignores a missing volume
    }

    [Fact]
    public void List_Filters()
    {
        _svc.Create(new VolumeCreateRequest { Name = "web-data", Labels = new() { ["tier"] = "web" } });
        _svc.Create(new VolumeCreateRequest { Name = "db-data", Labels = new() { ["tier"] = "db" } });
        _users["db-data"] = ["c1"];
        string[] Names(string key, string value) => [.. _svc.List(new Dictionary<string, IReadOnlyList<string>> { [key] = [value] }).Volumes.Select(v => v.Name)];
        Assert.Equal(["web-data"], Names("label", "tier=web"));
        Assert.Equal(["db-data", "web-data"], Names("label", "tier"));
        Assert.Equal(["web-data"], Names("dangling", "true"));
        Assert.Equal(["db-data"], Names("dangling", "false"));
        Assert.Equal(["db-data"], Names("name", "db"));
        Assert.Throws<InvalidArgumentException>(() => Names("bogus", "x"));
    }

    [Fact]
    public void Prune_AnonymousByDefault_AllWithFilter_NeverInUse()
    {
        _svc.Create(new VolumeCreateRequest { Name = "named" });
        var anon = _svc.Create(new VolumeCreateRequest()).Name;
        var busyAnon = _svc.Create(new VolumeCreateRequest()).Name;
        _users[busyAnon] = ["c1"];
        var first = _svc.Prune(new Dictionary<string, IReadOnlyList<string>>());
        Assert.Equal([anon], first.VolumesDeleted);
        var all = _svc.Prune(new Dictionary<string, IReadOnlyList<string>> { ["all"] = ["true"] });
        Assert.Equal(["named"], all.VolumesDeleted);
        Assert.Equal([busyAnon], _svc.List(new Dictionary<string, IReadOnlyList<string>>()).Volumes.Select(v => v.Name));
    }

    [Fact]
    public void Volumes_SurviveReopeningTheStore()
    {
        _svc.Create(new VolumeCreateRequest { Name = "durable", Labels = new() { ["k"] = "v" }, DriverOpts = new() { ["type"] = "tmpfs", ["device"] = "tmpfs" } });
        _meta.Dispose();
        using var reopened = new MetadataStore(_tmp.Sub("metadata.db"));
        var record = reopened.GetVolume("durable");
        Assert.NotNull(record);
        Assert.Equal("v", record.Labels["k"]);
        Assert.Equal("tmpfs", record.Options["type"]);
    }

    [Fact]
    public void Remove_DoesNotFollowSymlinksOutOfTheVolume()
    {
        var v = _svc.Create(new VolumeCreateRequest { Name = "linky" });
        var outside = _tmp.Sub("outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Join(outside, "keep"), "x");
        File.CreateSymbolicLink(Path.Join(v.Mountpoint, "out"), outside);
        _svc.Remove("linky", force: false);
        Assert.True(File.Exists(Path.Join(outside, "keep")));
    }
}

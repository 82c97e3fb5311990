namespace Berth.Api.Models.Volumes;

/// <summary>A volume as the API shows it (swagger <c>Volume</c>); <c>UsageData</c> only comes from <c>/system/df</c>.</summary>
public sealed class Volume
{
    public string Name { get; set; } = "";
    public string Driver { get; set; } = "local";
    public string Mountpoint { get; set; } = "";
    public string CreatedAt { get; set; } = "";
    public Dictionary<string, string>? Status { get; set; }
    public Dictionary<string, string> Labels { get; set; } = [];
    public string Scope { get; set; } = "local";
    public Dictionary<string, string>? Options { get; set; }
    public VolumeUsageData? UsageData { get; set; }
}

public sealed class VolumeUsageData
{
    public long Size { get; set; }
    public long RefCount { get; set; }
}

/// <summary>Body of <c>POST /volumes/create</c>.</summary>
public sealed class VolumeCreateRequest
{
    public string? Name { get; set; }
    public string? Driver { get; set; }
    public Dictionary<string, string>? DriverOpts { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
}

/// <summary>Answer of <c>GET /volumes</c>.</summary>
public sealed class VolumeListResponse
{
    public List<Volume> Volumes { get; set; } = [];
    public List<string>? Warnings { get; set; }
}

/// <summary>Answer of <c>POST /volumes/prune</c>.</summary>
public sealed class VolumePruneResponse
{
    public List<string> VolumesDeleted { get; set; } = [];
    public long SpaceReclaimed { get; set; }
}

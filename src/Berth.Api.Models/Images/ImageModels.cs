using Berth.Api.Models.Containers;

namespace Berth.Api.Models.Images;

/// <summary>An entry of <c>GET /images/json</c>.</summary>
public sealed class ImageSummary
{
    public string Id { get; set; } = "";
    public string ParentId { get; set; } = "";
    public List<string> RepoTags { get; set; } = [];
    public List<string> RepoDigests { get; set; } = [];
    public long Created { get; set; }
    public long Size { get; set; }
    public long SharedSize { get; set; } = -1;
    public Dictionary<string, string>? Labels { get; set; }
    public long Containers { get; set; } = -1;
}

/// <summary><c>GET /images/{name}/json</c>.</summary>
public sealed class ImageInspect
{
    public string Id { get; set; } = "";
    public List<string> RepoTags { get; set; } = [];
    public List<string> RepoDigests { get; set; } = [];
    public string Parent { get; set; } = "";
    public string Comment { get; set; } = "";
    public string Created { get; set; } = "";
    public string DockerVersion { get; set; } = "";
    public string Author { get; set; } = "";
    public ContainerConfig? Config { get; set; }
    public string Architecture { get; set; } = "amd64";
    public string? Variant { get; set; }
    public string Os { get; set; } = "linux";
    public string? OsVersion { get; set; }
    public long Size { get; set; }
    public GraphDriverData GraphDriver { get; set; } = new();
    public RootFs RootFS { get; set; } = new();
    public ImageMetadata Metadata { get; set; } = new();
}

public sealed class RootFs
{
    public string Type { get; set; } = "layers";
    public List<string> Layers { get; set; } = [];
}

public sealed class ImageMetadata
{
    public string LastTagTime { get; set; } = "0001-01-01T00:00:00Z";
}

public sealed class ImageHistoryItem
{
    public string Id { get; set; } = "<missing>";
    public long Created { get; set; }
    public string CreatedBy { get; set; } = "";
    public List<string>? Tags { get; set; }
    public long Size { get; set; }
    public string Comment { get; set; } = "";
}

public sealed class ImageDeleteResponseItem
{
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Untagged { get; set; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Deleted { get; set; }
}

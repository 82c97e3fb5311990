namespace Berth.Compose.Model;

/// <summary>One published or exposed port in long form. A short range "8000-8002:80-82" becomes one record per port.</summary>
public sealed record PortConfig
{
    public required int Target { get; init; }

    /// <summary>Host port or host range ("8080", "8000-8010"); null lets the engine choose.</summary>
    public string? Published { get; init; }
    public string? HostIp { get; init; }
    public string Protocol { get; init; } = "tcp";
    public string Mode { get; init; } = "ingress";
    public string? Name { get; init; }
    public string? AppProtocol { get; init; }
}

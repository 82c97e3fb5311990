namespace Berth.Builder.Execution;

/// <summary>A build request (<c>POST /build</c> query parameters).</summary>
public sealed record BuildOptions
{
    public string Dockerfile { get; init; } = "Dockerfile";
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyDictionary<string, string?> BuildArgs { get; init; } = new Dictionary<string, string?>();
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public string Target { get; init; } = "";
    public bool NoCache { get; init; }
    public bool Quiet { get; init; }
    public bool Remove { get; init; } = true;
    public bool ForceRemove { get; init; }
    public bool Pull { get; init; }
    public IReadOnlyList<string> CacheFrom { get; init; } = [];
    public BuildHostOptions Host { get; init; } = new();

    /// <summary>Secrets for <c>RUN --mount=type=secret,id=…</c> (id to content): never part of a layer, the history, a cache key or a log.</summary>
    public IReadOnlyDictionary<string, byte[]> Secrets { get; init; } = new Dictionary<string, byte[]>();
}

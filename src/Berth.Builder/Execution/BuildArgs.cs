namespace Berth.Builder.Execution;

/// <summary>
/// Build arguments with Docker's scoping (moby builder/dockerfile/buildargs.go): a <c>--build-arg</c> only takes effect once an
/// ARG declares it; an ARG without a default inside a stage inherits the global (before-FROM) ARG's value; the proxy variables
/// are always allowed.
/// </summary>
internal sealed class BuildArgs
{
    private static readonly HashSet<string> Builtin = new(StringComparer.Ordinal)
    {
        "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
    };

    private readonly IReadOnlyDictionary<string, string?> _fromOptions;
    private Dictionary<string, string?> _allowed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _meta = new(StringComparer.Ordinal);
    private readonly HashSet<string> _referenced = new(StringComparer.Ordinal);

    public BuildArgs(IReadOnlyDictionary<string, string?> fromOptions) => _fromOptions = fromOptions;

    /// <summary>A copy for a new stage: meta ARGs and references are kept, stage ARGs are not.</summary>
    public BuildArgs CloneForStage()
    {
        var copy = new BuildArgs(_fromOptions);
        foreach (var (k, v) in _meta) copy._meta[k] = v;
        foreach (var k in _referenced) copy._referenced.Add(k);
        copy._allowed = new Dictionary<string, string?>(StringComparer.Ordinal);
        return copy;
    }

    public void MergeReferenced(BuildArgs other)
    {
        foreach (var k in other._referenced) _referenced.Add(k);
    }

    public void AddArg(string key, string? value)
    {
        _allowed[key] = value;
        _referenced.Add(key);
    }

    public void AddMetaArg(string key, string? value) => _meta[key] = value;

    public bool IsReferencedOrNotBuiltin(string key) => _allowed.ContainsKey(key) || !Builtin.Contains(key);

    public Dictionary<string, string> AllAllowed() => Resolve(_allowed);

    public Dictionary<string, string> AllMeta() => Resolve(_meta);

    /// <summary>Allowed args as <c>K=V</c>, minus those an ENV of the same name shadows.</summary>
    public List<string> FilterAllowed(IEnumerable<string> env)
    {
        var envKeys = new HashSet<string>(env.Select(e => e.Split('=', 2)[0]), StringComparer.Ordinal);
        return [.. AllAllowed().Where(kv => !envKeys.Contains(kv.Key)).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value)];
    }

    /// <summary>Build args given on the command line that no ARG consumed (Docker warns about them).</summary>
    public List<string> Unused() =>
        [.. _fromOptions.Keys.Where(k => !_referenced.Contains(k) && !Builtin.Contains(k)).Order(StringComparer.Ordinal)];

    private Dictionary<string, string> Resolve(Dictionary<string, string?> source)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in source.Keys.Concat(Builtin))
            if (TryGet(key, source, out var v)) result[key] = v;
        return result;
    }

    private bool TryGet(string key, Dictionary<string, string?> source, out string value)
    {
        var exists = source.TryGetValue(key, out var defaultValue);
        if (_fromOptions.TryGetValue(key, out var given) && given is not null)
        {
            value = given;
            return true;
        }
        if (defaultValue is null)
        {
            if (_meta.TryGetValue(key, out var meta) && meta is not null)
            {
                value = meta;
                return true;
            }
            value = "";
            return false;
        }
        value = defaultValue;
        return exists;
    }
}

namespace Berth.Api.Routing;

/// <summary>The values a route pattern captured, by parameter name.</summary>
public sealed class RouteValues
{
    internal static readonly RouteValues Empty = new([], []);

    private readonly string[] _names;
    private readonly string[] _values;

    internal RouteValues(string[] names, string[] values)
    {
        _names = names;
        _values = values;
    }

    /// <summary>The captured value; asking for a name the pattern does not have is a programming error.</summary>
    public string this[string name] =>
        TryGet(name, out var value) ? value : throw new KeyNotFoundException($"route has no parameter '{name}'");

    public bool TryGet(string name, out string value)
    {
        for (var i = 0; i < _names.Length; i++)
        {
            if (_names[i] != name) continue;
            value = _values[i];
            return true;
        }
        value = "";
        return false;
    }
}

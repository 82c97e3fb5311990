namespace Berth.Cli.Templates;

/// <summary>eq/ne/lt/le/gt/ge over basic kinds, as Go's template builtins: numbers compare by value whatever their
/// representation, strings ordinally; mixing kinds is an error.</summary>
internal static class Compare
{
    public static bool Equal(object? a, object? b)
    {
        if (a is null or NoValue || b is null or NoValue) return a is null or NoValue && b is null or NoValue;
        if (TemplateValues.TryGetNumber(a, out var x) && TemplateValues.TryGetNumber(b, out var y)) return x == y;
        return (a, b) switch
        {
            (string s, string t) => string.Equals(s, t, StringComparison.Ordinal),
            (bool p, bool q) => p == q,
            _ => throw new TemplateException("error calling eq: incompatible types for comparison"),
        };
    }

    public static int Order(object? a, object? b)
    {
        if (TemplateValues.TryGetNumber(a, out var x) && TemplateValues.TryGetNumber(b, out var y)) return x.CompareTo(y);
        if (a is string s && b is string t) return string.CompareOrdinal(s, t);
        throw new TemplateException("error calling lt: incompatible types for comparison");
    }
}

using System.Globalization;
using Berth.Api.Http;

namespace Berth.Api.Routing;

/// <summary>The API version window and the version a request asked for (its "/v1.xx" prefix, else the maximum).</summary>
public static class ApiVersions
{
    public const string Max = "1.50";
    public const string Min = "1.24";

    /// <summary>The <see cref="HttpContext.Items"/> key the router stores the requested <see cref="Version"/> under.</summary>
    public const string ItemKey = "api-version";

    internal static readonly Version MaxVersion = new(1, 50);
    internal static readonly Version MinVersion = new(1, 24);

    public static Version Of(HttpContext ctx) =>
        ctx.Items.TryGetValue(ItemKey, out var v) && v is Version version ? version : MaxVersion;

    /// <summary>Parses a "[0-9.]+" prefix the way moby's versions package compares it: missing or bad parts are 0.</summary>
    internal static Version Parse(ReadOnlySpan<char> s)
    {
        Span<int> parts = stackalloc int[4];
        var count = 0;
        foreach (var range in s.Split('.'))
        {
            if (count == 4) break;
            parts[count++] = int.TryParse(s[range], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        }
        return count switch
        {
            <= 2 => new Version(parts[0], parts[1]),
            3 => new Version(parts[0], parts[1], parts[2]),
            _ => new Version(parts[0], parts[1], parts[2], parts[3]),
        };
    }

    /// <summary>Compares with absent components as 0, so 1.50.0 equals 1.50 (System.Version would order them).</summary>
    internal static int Compare(Version a, Version b)
    {
        var c = a.Major.CompareTo(b.Major);
        if (c == 0) c = a.Minor.CompareTo(b.Minor);
        if (c == 0) c = Math.Max(a.Build, 0).CompareTo(Math.Max(b.Build, 0));
        if (c == 0) c = Math.Max(a.Revision, 0).CompareTo(Math.Max(b.Revision, 0));
        return c;
    }
}

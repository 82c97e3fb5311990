using System.Text;

namespace Berth.Client;

/// <summary>Builds <c>?a=1&amp;b=x</c> from pairs, skipping null values and escaping the rest.</summary>
public static class Query
{
    public static string Build(params (string Key, string? Value)[] pairs)
    {
        var sb = new StringBuilder();
        foreach (var (k, v) in pairs)
        {
            if (v is null) continue;
            sb.Append(sb.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(k)).Append('=').Append(Uri.EscapeDataString(v));
        }
        return sb.ToString();
    }

    public static string? Flag(bool value) => value ? "1" : null;

    public static string Escape(string segment) => Uri.EscapeDataString(segment);
}

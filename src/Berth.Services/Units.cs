using System.Globalization;
using Berth.Core.Errors;

namespace Berth.Services;

/// <summary>Sizes as Docker's flags write them (<c>10m</c>, <c>1g</c>, <c>512k</c>), binary multiples (go-units RAMInBytes).</summary>
public static class Units
{
    public static long ParseBytes(string text)
    {
        var s = text.Trim().ToLowerInvariant();
        var end = s.Length;
        while (end > 0 && char.IsLetter(s[end - 1])) end--;
        var unit = s[end..].TrimEnd('b', 'i');
        if (!double.TryParse(s[..end], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
            throw new InvalidArgumentException($"invalid size: '{text}'");
        var factor = unit switch { "" => 1L, "k" => 1L << 10, "m" => 1L << 20, "g" => 1L << 30, "t" => 1L << 40, "p" => 1L << 50, _ => throw new InvalidArgumentException($"invalid size: '{text}'") };
        return (long)(value * factor);
    }
}

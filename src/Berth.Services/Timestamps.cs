using System.Globalization;

namespace Berth.Services;

/// <summary>Docker's time formats: RFC 3339 with nanoseconds in UTC, and Go's zero time for "never".</summary>
public static class Timestamps
{
    public const string Zero = "0001-01-01T00:00:00Z";

    public static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'00Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset? Parse(string? s) =>
        string.IsNullOrEmpty(s) || s == Zero ? null : DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}

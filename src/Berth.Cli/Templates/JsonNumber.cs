using System.Globalization;

namespace Berth.Cli.Templates;

/// <summary>A JSON number kept as its source text, so <c>{{.HostConfig.Memory}}</c> prints <c>104857600</c> exactly as
/// docker's <c>json.Number</c> fallback does, never as a float.</summary>
internal readonly record struct JsonNumber(string Text)
{
    public double ToDouble() => double.Parse(Text, NumberStyles.Float, CultureInfo.InvariantCulture);

    public bool TryGetInt64(out long value) => long.TryParse(Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public override string ToString() => Text;
}

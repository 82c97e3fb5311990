namespace Berth.Builder.Dockerfile;

/// <summary>An ENV or LABEL pair; <c>NoDelim</c> marks the legacy <c>ENV key value</c> form.</summary>
public sealed record KeyValue(string Key, string Value, bool NoDelim)
{
    public override string ToString() => Key + "=" + Value;
}

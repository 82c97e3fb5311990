namespace Berth.Builder.Dockerfile;

/// <summary><c>ARG name</c> (Value null) or <c>ARG name=default</c>.</summary>
public sealed record ArgDefinition(string Key, string? Value);

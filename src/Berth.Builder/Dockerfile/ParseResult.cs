namespace Berth.Builder.Dockerfile;

/// <summary>A parsed Dockerfile: the tree, the escape token in force, the directives found and non-fatal warnings.</summary>
public sealed record ParseResult(Node Root, char EscapeToken, IReadOnlyDictionary<string, string> Directives, IReadOnlyList<string> Warnings);

namespace Berth.Cli.Templates;

/// <summary>One lexeme; <see cref="Pos"/> is the byte offset in the source, used for Go-style error positions.</summary>
internal readonly record struct Token(TokenKind Kind, string Value, int Pos);

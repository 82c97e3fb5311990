namespace Berth.Cli.Templates;

internal enum TokenKind
{
    Text,
    LeftDelim,
    RightDelim,
    Field,
    Variable,
    Identifier,
    String,
    Number,
    Char,
    Pipe,
    LeftParen,
    RightParen,
    Declare,
    Assign,
    Comma,
    Dot,
    Eof,
}

namespace Berth.Builder.Dockerfile;

/// <summary>What a parse carries from line to line: the directive block and the escape token it set.</summary>
internal sealed class ParserState
{
    public DirectiveParser Directives { get; } = new();
    public char Escape { get; set; } = '\\';
}

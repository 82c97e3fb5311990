namespace Berth.Cli.Templates;

/// <summary>The parse tree, shaped like Go's text/template/parse nodes. <c>Pos</c> is a byte offset; <c>Source</c>
/// is the node's text, which Go prints in execution errors (<c>executing "" at &lt;.Foo&gt;</c>).</summary>
internal abstract record TemplateNode(int Pos)
{
    public sealed record ListNode(int Pos, List<TemplateNode> Nodes) : TemplateNode(Pos);

    public sealed record TextNode(int Pos, string Text) : TemplateNode(Pos);

    public sealed record ActionNode(int Pos, PipeNode Pipe) : TemplateNode(Pos);

    /// <summary>if / range / with share a shape; <see cref="Kind"/> says which.</summary>
    public sealed record BranchNode(int Pos, string Kind, PipeNode Pipe, ListNode List, ListNode? ElseList) : TemplateNode(Pos);

    public sealed record BreakNode(int Pos) : TemplateNode(Pos);

    public sealed record ContinueNode(int Pos) : TemplateNode(Pos);

    public sealed record PipeNode(int Pos, List<string> Decl, bool IsAssign, List<CommandNode> Commands, string Source) : TemplateNode(Pos);

    public sealed record CommandNode(int Pos, List<TemplateNode> Args, string Source) : TemplateNode(Pos);

    /// <summary><c>.A.B</c>; an empty <see cref="Fields"/> list never occurs (that is <see cref="DotNode"/>).</summary>
    public sealed record FieldNode(int Pos, string[] Fields, string Source) : TemplateNode(Pos);

    /// <summary><c>$x.A.B</c> or <c>$</c>.</summary>
    public sealed record VariableNode(int Pos, string Name, string[] Fields, string Source) : TemplateNode(Pos);

    /// <summary><c>(pipeline).A.B</c>.</summary>
    public sealed record ChainNode(int Pos, TemplateNode Node, string[] Fields, string Source) : TemplateNode(Pos);

    public sealed record DotNode(int Pos) : TemplateNode(Pos);

    public sealed record NilNode(int Pos) : TemplateNode(Pos);

    public sealed record IdentifierNode(int Pos, string Name) : TemplateNode(Pos);

    public sealed record StringNode(int Pos, string Text) : TemplateNode(Pos);

    public sealed record NumberNode(int Pos, object Value, string Text) : TemplateNode(Pos);

    public sealed record BoolNode(int Pos, bool Value) : TemplateNode(Pos);
}

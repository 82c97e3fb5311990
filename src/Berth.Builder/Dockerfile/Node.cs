using System.Text;

namespace Berth.Builder.Dockerfile;

/// <summary>
/// BuildKit's parse tree: an instruction node has its keyword in <see cref="Value"/>, its arguments as a <see cref="Next"/> chain,
/// ONBUILD's nested instruction as the only child of its first argument; the root holds the instructions as children.
/// </summary>
public sealed class Node
{
    public string Value { get; set; } = "";
    public Node? Next { get; set; }
    public List<Node> Children { get; } = [];
    public List<Heredoc> Heredocs { get; } = [];

    /// <summary>True when the arguments were a JSON array (exec form).</summary>
    public bool IsJson { get; set; }

    /// <summary>The instruction line as read (continuations joined), before any argument parsing.</summary>
    public string Original { get; set; } = "";
    public IReadOnlyList<string> Flags { get; set; } = [];
    public int StartLine { get; set; }
    public int EndLine { get; set; }
    public IReadOnlyList<string> PrevComment { get; set; } = [];

    /// <summary>The arguments in order (a nested ONBUILD instruction contributes its keyword and its arguments).</summary>
    public List<string> Args()
    {
        var result = new List<string>();
        for (var n = Next; n is not null; n = n.Next)
        {
            if (n.Children.Count == 0) result.Add(n.Value);
            else if (n.Children.Count == 1)
            {
                result.Add(n.Children[0].Value);
                result.AddRange(n.Children[0].Args());
            }
        }
        return result;
    }

    /// <summary>The s-expression form BuildKit's parser tests compare against (<c>(run "echo hi")</c>).</summary>
    public string Dump()
    {
        var sb = new StringBuilder();
        sb.Append(Value.ToLowerInvariant());
        if (Flags.Count > 0) sb.Append(' ').Append(GoFormat.QuoteSlice(Flags));
        foreach (var child in Children) sb.Append('(').Append(child.Dump()).Append(")\n");
        for (var n = Next; n is not null; n = n.Next)
        {
            sb.Append(' ');
            sb.Append(n.Children.Count > 0 ? n.Dump() : GoFormat.Quote(n.Value));
        }
        return sb.ToString().Trim();
    }
}

using System.Globalization;

namespace Berth.Cli.Templates;

/// <summary>Recursive-descent parser over <see cref="TemplateLexer"/> tokens, covering the part of Go's grammar that
/// docker formats use: actions, pipelines, if/else if/else, range (with $i, $e :=), with, break/continue, variables,
/// parenthesised pipelines and field chains. define/template/block are refused.</summary>
internal sealed class TemplateParser
{
    private readonly string _src;
    private readonly List<Token> _tokens;
    private int _i;

    private TemplateParser(string src)
    {
        _src = src;
        _tokens = TemplateLexer.Lex(src);
    }

    public static TemplateNode.ListNode Parse(string src)
    {
        var p = new TemplateParser(src);
        var list = p.ParseList(out var end);
        if (end is not null) throw p.Error(end.Value, $"unexpected {{{{{end.Value.Value}}}}}");
        return list;
    }

    private Token Peek => _tokens[_i];

    private Token Next() => _tokens[_i++];

    /// <summary>Parses until EOF or an {{end}}/{{else}}; returns that keyword token in <paramref name="terminator"/>.</summary>
    private TemplateNode.ListNode ParseList(out Token? terminator)
    {
        var nodes = new List<TemplateNode>();
        var start = Peek.Pos;
        while (true)
        {
            var t = Next();
            switch (t.Kind)
            {
                case TokenKind.Eof:
                    terminator = null;
                    return new TemplateNode.ListNode(start, nodes);
                case TokenKind.Text:
                    nodes.Add(new TemplateNode.TextNode(t.Pos, t.Value));
                    break;
                case TokenKind.LeftDelim:
                    var kw = Peek;
                    if (kw.Kind == TokenKind.Identifier && kw.Value is "end" or "else")
                    {
                        terminator = kw;
                        return new TemplateNode.ListNode(start, nodes);
                    }
                    nodes.Add(ParseAction());
                    break;
                default:
                    throw Error(t, $"unexpected {t.Value}");
            }
        }
    }

    private TemplateNode ParseAction()
    {
        var t = Peek;
        if (t.Kind == TokenKind.Identifier)
        {
            switch (t.Value)
            {
                case "if" or "range" or "with":
                    _i++;
                    return ParseBranch(t);
                case "break" or "continue":
                    _i++;
                    Expect(TokenKind.RightDelim);
                    return t.Value == "break" ? new TemplateNode.BreakNode(t.Pos) : new TemplateNode.ContinueNode(t.Pos);
                case "define" or "template" or "block":
                    throw Error(t, $"{t.Value} is not supported");
            }
        }
        var pipe = ParsePipeline(TokenKind.RightDelim, allowDecl: true);
        return new TemplateNode.ActionNode(t.Pos, pipe);
    }

    private TemplateNode.BranchNode ParseBranch(Token keyword)
    {
        var pipe = ParsePipeline(TokenKind.RightDelim, allowDecl: true);
        var list = ParseList(out var term);
        if (term is null) throw Error(keyword, $"unexpected EOF");
        TemplateNode.ListNode? elseList = null;
        if (term.Value.Value == "else")
        {
            _i++; // else
            if (Peek.Kind == TokenKind.Identifier && Peek.Value is "if" or "with" && (keyword.Value == Peek.Value || keyword.Value == "if"))
            {
                // {{else if ...}} is sugar for {{else}}{{if ...}}...{{end}}{{end}}, sharing the outer {{end}}.
                var inner = Next();
                var nested = ParseBranch(inner);
                elseList = new TemplateNode.ListNode(inner.Pos, [nested]);
                return new TemplateNode.BranchNode(keyword.Pos, keyword.Value, pipe, list, elseList);
            }
            Expect(TokenKind.RightDelim);
            elseList = ParseList(out var term2);
            if (term2 is null || term2.Value.Value != "end") throw Error(keyword, "expected end; found EOF");
        }
        _i++; // end
        Expect(TokenKind.RightDelim);
        return new TemplateNode.BranchNode(keyword.Pos, keyword.Value, pipe, list, elseList);
    }

    private TemplateNode.PipeNode ParsePipeline(TokenKind end, bool allowDecl)
    {
        var start = Peek.Pos;
        var decl = new List<string>();
        var isAssign = false;
        if (allowDecl && Peek.Kind == TokenKind.Variable)
        {
            var save = _i;
            var v = Next();
            if (Peek.Kind is TokenKind.Declare or TokenKind.Assign)
            {
                isAssign = Next().Kind == TokenKind.Assign;
                decl.Add(v.Value);
            }
            else if (Peek.Kind == TokenKind.Comma)
            {
                _i++;
                var v2 = Expect(TokenKind.Variable);
                decl.Add(v.Value);
                decl.Add(v2.Value);
                isAssign = Next().Kind == TokenKind.Assign;
            }
            else _i = save;
        }
        var commands = new List<TemplateNode.CommandNode>();
        while (true)
        {
            commands.Add(ParseCommand(end));
            if (Peek.Kind == TokenKind.Pipe) { _i++; continue; }
            break;
        }
        var close = Expect(end);
        return new TemplateNode.PipeNode(start, decl, isAssign, commands, _src[start..close.Pos].Trim());
    }

    private TemplateNode.CommandNode ParseCommand(TokenKind end)
    {
        var start = Peek.Pos;
        var args = new List<TemplateNode>();
        while (Peek.Kind != TokenKind.Pipe && Peek.Kind != end)
        {
            args.Add(ParseOperand());
        }
        if (args.Count == 0) throw Error(Peek, "missing value for command");
        return new TemplateNode.CommandNode(start, args, _src[start..Peek.Pos].Trim());
    }

    private TemplateNode ParseOperand()
    {
        var t = Next();
        TemplateNode node = t.Kind switch
        {
            TokenKind.Field => ParseFieldChain(t),
            TokenKind.Variable => ParseVariable(t),
            TokenKind.Dot => new TemplateNode.DotNode(t.Pos),
            TokenKind.String => new TemplateNode.StringNode(t.Pos, t.Value),
            TokenKind.Number => ParseNumber(t),
            TokenKind.Identifier => t.Value switch
            {
                "true" => new TemplateNode.BoolNode(t.Pos, true),
                "false" => new TemplateNode.BoolNode(t.Pos, false),
                "nil" => new TemplateNode.NilNode(t.Pos),
                _ => new TemplateNode.IdentifierNode(t.Pos, t.Value),
            },
            TokenKind.LeftParen => ParsePipeline(TokenKind.RightParen, allowDecl: false),
            _ => throw Error(t, $"unexpected \"{t.Value}\" in operand"),
        };
        if (t.Kind == TokenKind.LeftParen && Peek.Kind == TokenKind.Field)
        {
            var fields = new List<string>();
            var endPos = Peek.Pos;
            while (Peek.Kind == TokenKind.Field && Peek.Pos == endPos)
            {
                var f = Next();
                fields.Add(f.Value);
                endPos = f.Pos + f.Value.Length + 1;
            }
            return new TemplateNode.ChainNode(t.Pos, node, [.. fields], _src[t.Pos..endPos]);
        }
        return node;
    }

    private TemplateNode.FieldNode ParseFieldChain(Token first)
    {
        // The lexer emits ".A.B" as two adjacent Field tokens; adjacency distinguishes it from ".A .B".
        var fields = new List<string> { first.Value };
        var endPos = first.Pos + first.Value.Length + 1;
        while (Peek.Kind == TokenKind.Field && Peek.Pos == endPos)
        {
            var f = Next();
            fields.Add(f.Value);
            endPos = f.Pos + f.Value.Length + 1;
        }
        return new TemplateNode.FieldNode(first.Pos, [.. fields], _src[first.Pos..endPos]);
    }

    private TemplateNode.VariableNode ParseVariable(Token v)
    {
        var fields = new List<string>();
        var endPos = v.Pos + v.Value.Length;
        while (Peek.Kind == TokenKind.Field && Peek.Pos == endPos)
        {
            var f = Next();
            fields.Add(f.Value);
            endPos = f.Pos + f.Value.Length + 1;
        }
        return new TemplateNode.VariableNode(v.Pos, v.Value, [.. fields], _src[v.Pos..endPos]);
    }

    private TemplateNode.NumberNode ParseNumber(Token t)
    {
        var s = t.Value.Replace("_", "", StringComparison.Ordinal);
        if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return new(t.Pos, l, t.Value);
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && long.TryParse(s[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var h))
            return new(t.Pos, h, t.Value);
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return new(t.Pos, d, t.Value);
        throw Error(t, $"bad number syntax: \"{t.Value}\"");
    }

    private Token Expect(TokenKind kind)
    {
        var t = Next();
        if (t.Kind != kind) throw Error(t, $"unexpected \"{t.Value}\" in {(kind == TokenKind.RightParen ? "parenthesized pipeline" : "command")}");
        return t;
    }

    private TemplateException Error(Token t, string message) =>
        new($"template: :{TemplateLexer.Line(_src, t.Pos)}: {message}");
}

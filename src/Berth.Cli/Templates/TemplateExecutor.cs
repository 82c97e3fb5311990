using System.Text.Json.Nodes;

namespace Berth.Cli.Templates;

/// <summary>Walks a parse tree against a JSON value, with Go text/template semantics (dot, variables, pipelines with the
/// previous result as last argument, lazy and/or, range over arrays and sorted map keys).</summary>
internal sealed class TemplateExecutor
{
    private readonly string _src;
    private readonly TextWriter _out;
    private readonly object? _root;
    private readonly TemplateOptions _options;
    private readonly List<(string Name, object? Value)> _vars = [];

    public TemplateExecutor(string src, TextWriter output, object? root, TemplateOptions options)
    {
        _src = src;
        _out = output;
        _root = root;
        _options = options;
        _vars.Add(("$", root));
    }

    public void Run(TemplateNode.ListNode tree) => Walk(_root, tree);

    private void Walk(object? dot, TemplateNode node)
    {
        switch (node)
        {
            case TemplateNode.ListNode list:
                foreach (var n in list.Nodes) Walk(dot, n);
                break;
            case TemplateNode.TextNode text:
                _out.Write(text.Text);
                break;
            case TemplateNode.ActionNode action:
                var v = EvalPipeline(dot, action.Pipe, declare: true);
                if (action.Pipe.Decl.Count == 0) _out.Write(TemplateValues.Print(v));
                break;
            case TemplateNode.BranchNode { Kind: "range" } range:
                WalkRange(dot, range);
                break;
            case TemplateNode.BranchNode branch:
                var mark = _vars.Count;
                var val = EvalPipeline(dot, branch.Pipe, declare: true);
                if (TemplateValues.IsTrue(val)) Walk(branch.Kind == "with" ? val : dot, branch.List);
                else if (branch.ElseList is not null) Walk(dot, branch.ElseList);
                _vars.RemoveRange(mark, _vars.Count - mark);
                break;
            case TemplateNode.BreakNode:
                throw new BreakSignal();
            case TemplateNode.ContinueNode:
                throw new ContinueSignal();
            default:
                throw new TemplateException($"unknown node {node.GetType().Name}");
        }
    }

    private void WalkRange(object? dot, TemplateNode.BranchNode range)
    {
        var mark = _vars.Count;
        var val = EvalPipeline(dot, range.Pipe, declare: false);
        var items = new List<(object? Key, object? Value)>();
        switch (val)
        {
            case JsonArray or List<object?>:
                var list = TemplateValues.AsList(val)!;
                for (var i = 0; i < list.Count; i++) items.Add(((long)i, list[i]));
                break;
            case JsonObject o:
                foreach (var kv in o.OrderBy(kv => kv.Key, StringComparer.Ordinal)) items.Add((kv.Key, TemplateValues.FromNode(kv.Value)));
                break;
            case long n:
                for (long i = 0; i < n; i++) items.Add((i, i));
                break;
            case null or NoValue:
                break;
            default:
                throw Fail(range.Pipe, range.Pipe.Source, $"range can't iterate over {TemplateValues.Print(val)}");
        }
        foreach (var (key, item) in items)
        {
            var iterMark = _vars.Count;
            if (range.Pipe.Decl.Count == 1) _vars.Add((range.Pipe.Decl[0], item));
            else if (range.Pipe.Decl.Count == 2)
            {
                _vars.Add((range.Pipe.Decl[0], key));
                _vars.Add((range.Pipe.Decl[1], item));
            }
            try
            {
                Walk(item, range.List);
            }
            catch (ContinueSignal)
            {
            }
            catch (BreakSignal)
            {
                _vars.RemoveRange(iterMark, _vars.Count - iterMark);
                break;
            }
            _vars.RemoveRange(iterMark, _vars.Count - iterMark);
        }
        if (items.Count == 0 && range.ElseList is not null) Walk(dot, range.ElseList);
        _vars.RemoveRange(mark, _vars.Count - mark);
    }

    private object? EvalPipeline(object? dot, TemplateNode.PipeNode pipe, bool declare)
    {
        object? value = null;
        var hasFinal = false;
        foreach (var cmd in pipe.Commands)
        {
            value = EvalCommand(dot, cmd, hasFinal, value);
            hasFinal = true;
        }
        if (declare)
        {
            foreach (var name in pipe.Decl)
            {
                if (pipe.IsAssign) SetVar(pipe, name, value);
                else _vars.Add((name, value));
            }
        }
        return value;
    }

    private object? EvalCommand(object? dot, TemplateNode.CommandNode cmd, bool hasFinal, object? final)
    {
        var first = cmd.Args[0];
        var rest = cmd.Args.Skip(1).ToList();
        switch (first)
        {
            case TemplateNode.FieldNode f:
                return EvalFieldChain(dot, dot, f.Fields, f, f.Source, rest, hasFinal, final);
            case TemplateNode.ChainNode c:
                var recv = EvalArg(dot, c.Node);
                return EvalFieldChain(dot, recv, c.Fields, c, c.Source, rest, hasFinal, final);
            case TemplateNode.VariableNode v:
                var vv = GetVar(v, v.Name);
                if (v.Fields.Length == 0)
                {
                    NoArgs(v, v.Source, rest, hasFinal);
                    return vv;
                }
                return EvalFieldChain(dot, vv, v.Fields, v, v.Source, rest, hasFinal, final);
            case TemplateNode.IdentifierNode id:
                return CallFunction(dot, id, rest, hasFinal, final);
            case TemplateNode.PipeNode p:
                NoArgs(p, p.Source, rest, hasFinal);
                return EvalPipeline(dot, p, declare: false);
            default:
                var constant = EvalArg(dot, first);
                NoArgs(first, TemplateValues.Print(constant), rest, hasFinal);
                return constant;
        }
    }

    private void NoArgs(TemplateNode node, string source, List<TemplateNode> rest, bool hasFinal)
    {
        if (rest.Count > 0 || hasFinal) throw Fail(node, source, $"can't give argument to non-function {source}");
    }

    private object? CallFunction(object? dot, TemplateNode.IdentifierNode id, List<TemplateNode> rest, bool hasFinal, object? final)
    {
        if (!_options.Functions.TryGetValue(id.Name, out var fn))
            throw new TemplateException($"template: :{TemplateLexer.Line(_src, id.Pos)}: function \"{id.Name}\" not defined");
        if (id.Name is "and" or "or")
        {
            // Go 1.18+: and/or stop evaluating at the first argument that decides the result.
            var wantTrue = id.Name == "or";
            object? last = null;
            var all = rest.Select(n => (Func<object?>)(() => EvalArg(dot, n))).ToList();
            if (hasFinal) all.Add(() => final);
            if (all.Count == 0) throw Fail(id, id.Name, $"wrong number of args for {id.Name}: want at least 1 got 0");
            foreach (var get in all)
            {
                last = get();
                if (TemplateValues.IsTrue(last) == wantTrue) return last;
            }
            return last;
        }
        var args = rest.Select(n => EvalArg(dot, n)).ToList();
        if (hasFinal) args.Add(final);
        try
        {
            if (id.Name == "json" && _options.RootJsonEscapesHtml && args.Count == 1 && args[0] is JsonObject && ReferenceEquals(args[0], _root))
                return GoJson.Serialize(args[0], escapeHtml: true);
            return fn([.. args]);
        }
        catch (TemplateException ex) when (!ex.Message.StartsWith("template:", StringComparison.Ordinal))
        {
            var msg = ex.Message.StartsWith("error calling", StringComparison.Ordinal) || ex.Message.StartsWith("wrong number", StringComparison.Ordinal)
                ? ex.Message : $"error calling {id.Name}: {ex.Message}";
            throw Fail(id, id.Name, msg);
        }
    }

    private object? EvalArg(object? dot, TemplateNode node) => node switch
    {
        TemplateNode.DotNode => dot,
        TemplateNode.NilNode => null,
        TemplateNode.StringNode s => s.Text,
        TemplateNode.NumberNode n => n.Value,
        TemplateNode.BoolNode b => b.Value,
        TemplateNode.FieldNode f => EvalFieldChain(dot, dot, f.Fields, f, f.Source, [], false, null),
        TemplateNode.VariableNode v => v.Fields.Length == 0 ? GetVar(v, v.Name) : EvalFieldChain(dot, GetVar(v, v.Name), v.Fields, v, v.Source, [], false, null),
        TemplateNode.ChainNode c => EvalFieldChain(dot, EvalArg(dot, c.Node), c.Fields, c, c.Source, [], false, null),
        TemplateNode.PipeNode p => EvalPipeline(dot, p, declare: false),
        TemplateNode.IdentifierNode id => CallFunction(dot, id, [], false, null),
        _ => throw Fail(node, "", "can't handle argument"),
    };

    private object? EvalFieldChain(object? dot, object? receiver, string[] fields, TemplateNode node, string source,
        List<TemplateNode> rest, bool hasFinal, object? final)
    {
        for (var i = 0; i < fields.Length - 1; i++) receiver = EvalField(receiver, fields[i], node, source, [], false, null, dot);
        return EvalField(receiver, fields[^1], node, source, rest, hasFinal, final, dot);
    }

    private object? EvalField(object? receiver, string name, TemplateNode node, string source,
        List<TemplateNode> rest, bool hasFinal, object? final, object? dot)
    {
        var args = rest.Select(n => EvalArg(dot, n)).ToList();
        if (hasFinal) args.Add(final);
        if (_options.Methods is { } methods && methods(receiver, name, [.. args], out var result)) return result;
        switch (receiver)
        {
            case JsonObject o:
                if (args.Count > 0) throw Fail(node, source, $"{name} is not a method but has arguments");
                if (o.TryGetPropertyValue(name, out var v)) return TemplateValues.FromNode(v);
                if (_options.RootTypeName is { } type && ReferenceEquals(o, _root))
                    throw Fail(node, source, $"can't evaluate field {name} in type {type}");
                if (_options.MissingKeyError) throw Fail(node, source, $"map has no entry for key \"{name}\"");
                return NoValue.Instance;
            case null:
                throw Fail(node, source, $"nil pointer evaluating interface {{}}.{name}");
            case NoValue:
                throw Fail(node, source, $"nil data; no entry for key \"{name}\"");
            default:
                throw Fail(node, source, $"can't evaluate field {name} in type {TemplateValues.TypeName(receiver)}");
        }
    }

    private object? GetVar(TemplateNode node, string name)
    {
        for (var i = _vars.Count - 1; i >= 0; i--)
        {
            if (_vars[i].Name == name) return _vars[i].Value;
        }
        throw new TemplateException($"template: :{TemplateLexer.Line(_src, node.Pos)}: undefined variable \"{name}\"");
    }

    private void SetVar(TemplateNode node, string name, object? value)
    {
        for (var i = _vars.Count - 1; i >= 0; i--)
        {
            if (_vars[i].Name == name) { _vars[i] = (name, value); return; }
        }
        throw new TemplateException($"template: :{TemplateLexer.Line(_src, node.Pos)}: undefined variable \"{name}\"");
    }

    /// <summary>Go's ExecError text: <c>template: :LINE:COL: executing "" at &lt;NODE&gt;: MESSAGE</c>; COL is the byte
    /// offset within the line.</summary>
    private TemplateException Fail(TemplateNode node, string source, string message)
    {
        var pos = Math.Min(node.Pos, _src.Length);
        var lastNl = _src.LastIndexOf('\n', Math.Max(0, pos - 1));
        if (pos == 0) lastNl = -1;
        var col = lastNl < 0 ? pos : pos - lastNl - 1;
        return new TemplateException($"template: :{TemplateLexer.Line(_src, pos)}:{col}: executing \"\" at <{source}>: {message}");
    }

    private sealed class BreakSignal : Exception;

    private sealed class ContinueSignal : Exception;
}

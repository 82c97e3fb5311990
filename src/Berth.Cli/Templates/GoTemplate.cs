using System.Text;
using System.Text.Json.Nodes;

namespace Berth.Cli.Templates;

/// <summary>A parsed Go text/template, executed against JSON trees (so any API object can be formatted without
/// reflection). Parse once, execute per row.</summary>
internal sealed class GoTemplate
{
    private readonly string _source;
    private readonly TemplateNode.ListNode _tree;

    private GoTemplate(string source, TemplateNode.ListNode tree)
    {
        _source = source;
        _tree = tree;
    }

    public static GoTemplate Parse(string source) => new(source, TemplateParser.Parse(source));

    public void Execute(TextWriter output, JsonNode? data, TemplateOptions? options = null) =>
        new TemplateExecutor(_source, output, TemplateValues.FromNode(data), options ?? new TemplateOptions()).Run(_tree);

    public string Execute(JsonNode? data, TemplateOptions? options = null)
    {
        var sw = new StringWriter(new StringBuilder());
        Execute(sw, data, options);
        return sw.ToString();
    }
}

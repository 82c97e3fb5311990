namespace Berth.Cli.Templates;

/// <summary>How a template sees its data. The defaults match docker's raw-JSON fallback for <c>inspect</c>
/// except for missing keys, which <see cref="MissingKeyError"/> turns into errors as docker does there.</summary>
internal sealed class TemplateOptions
{
    /// <summary>A missing map key fails (<c>map has no entry for key "Foo"</c>) instead of printing <c>&lt;no value&gt;</c>.</summary>
    public bool MissingKeyError { get; init; }

    /// <summary>When set, the root object stands for a Go struct of this name: unknown fields on it are errors
    /// (<c>can't evaluate field Foo in type *formatter.ContainerContext</c>).</summary>
    public string? RootTypeName { get; init; }

    /// <summary><c>{{json .}}</c> of the root escapes &lt;, &gt; and &amp;, as the MarshalJSON of docker's formatter
    /// contexts does.</summary>
    public bool RootJsonEscapesHtml { get; init; }

    public MethodResolver? Methods { get; init; }

    public IReadOnlyDictionary<string, TemplateFunction> Functions { get; init; } = TemplateFunctions.Basic;
}

using System.Text.Json.Nodes;
using Berth.Cli.Templates;

namespace Berth.Cli.Formatting;

/// <summary>
/// What every <c>inspect</c> prints for the objects it found: the raw documents as one indented JSON array, or each
/// through <c>--format</c>'s template (a key the object lacks is an error, as docker's inspect templates).
/// </summary>
internal static class InspectOutput
{
    /// <summary>Writes the documents; returns <paramref name="rc"/>, or 1 when the template fails.</summary>
    public static int Write(CliContext ctx, IReadOnlyList<byte[]> found, string? format, int rc)
    {
        if (string.IsNullOrEmpty(format))
        {
            ctx.Out.WriteLine(JsonIndenter.IndentArray(found));
            return rc;
        }
        var tmpl = GoTemplate.Parse(FormatWriter.TemplateString(format));
        foreach (var raw in found)
        {
            try
            {
                ctx.Out.WriteLine(tmpl.Execute(JsonNode.Parse(raw), new TemplateOptions { MissingKeyError = true }));
            }
            catch (TemplateException ex)
            {
                ctx.Out.Flush();
                ctx.Err.WriteLine("template parsing error: " + ex.Message);
                return 1;
            }
        }
        return rc;
    }
}

using System.Text.Json.Nodes;

namespace Berth.Cli.Templates;

/// <summary>
/// Renders rows the way docker's formatter.Context does: <c>json</c> means <c>{{json .}}</c>; a format starting with
/// <c>table</c> loses that word, and its output goes through a <see cref="TabWriter"/> after a header line made by
/// running the same template over <paramref name="header"/> with the header functions; literal <c>\t</c> and
/// <c>\n</c> become tab and newline; each row ends with a newline.
/// </summary>
internal static class FormatWriter
{
    public static bool IsTable(string format) => format.StartsWith("table", StringComparison.Ordinal);

    public static string TemplateString(string format)
    {
        if (format == "table") return "";
        if (format == "json") return "{{json .}}";
        var s = IsTable(format) ? format["table".Length..] : format;
        return s.Trim(' ').Replace("\\t", "\t", StringComparison.Ordinal).Replace("\\n", "\n", StringComparison.Ordinal);
    }

    /// <summary>Renders <paramref name="rows"/>; throws <see cref="TemplateException"/> with docker's wording on a bad
    /// template (callers print it and exit 1... as docker does: "template parsing error: ...").</summary>
    public static void Write(TextWriter output, string format, JsonObject? header, IEnumerable<JsonNode?> rows, TemplateOptions options)
    {
        GoTemplate tmpl;
        try
        {
            tmpl = GoTemplate.Parse(TemplateString(format));
        }
        catch (TemplateException ex)
        {
            throw new TemplateException("template parsing error: " + ex.Message);
        }
        var body = new StringWriter();
        foreach (var row in rows)
        {
            try
            {
                tmpl.Execute(body, row, options);
            }
            catch (TemplateException ex)
            {
                throw new TemplateException("failed to execute template: " + ex.Message);
            }
            body.Write('\n');
        }
        if (!IsTable(format))
        {
            output.Write(body.ToString());
            return;
        }
        var tw = new TabWriter(output);
        if (header is not null)
        {
            var headerOut = new StringWriter();
            try
            {
                tmpl.Execute(headerOut, header, new TemplateOptions { Functions = TemplateFunctions.Header, Methods = HeaderMethods });
            }
            catch (TemplateException)
            {
                // docker ignores header errors and keeps what was written (formatter.postFormat).
            }
            tw.Write(headerOut.ToString());
            tw.Write("\n");
        }
        tw.Write(body.ToString());
        tw.Flush();
    }

    /// <summary>The header of <c>{{.Label "com.example.some-key"}}</c> is the last dotted segment with - and _ as spaces.</summary>
    private static bool HeaderMethods(object? receiver, string name, object?[] args, out object? result)
    {
        if (name == "Label" && args.Length == 1 && args[0] is string key)
        {
            result = key.Split('.')[^1].Replace('-', ' ').Replace('_', ' ');
            return true;
        }
        result = null;
        return false;
    }
}

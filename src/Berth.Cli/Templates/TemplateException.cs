namespace Berth.Cli.Templates;

/// <summary>A parse or execution error, worded like Go's text/template so the CLI prints what docker prints.</summary>
internal sealed class TemplateException(string message) : Exception(message);

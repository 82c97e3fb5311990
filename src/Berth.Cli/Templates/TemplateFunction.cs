namespace Berth.Cli.Templates;

/// <summary>A template function: evaluated arguments in, one value out; throw <see cref="TemplateException"/> on misuse.</summary>
internal delegate object? TemplateFunction(object?[] args);

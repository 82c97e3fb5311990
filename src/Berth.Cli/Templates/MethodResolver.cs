namespace Berth.Cli.Templates;

/// <summary>Lets a data model expose Go-style methods with arguments (docker's <c>{{.Label "k"}}</c> on a ps row). Return
/// true when <paramref name="name"/> is a method of <paramref name="receiver"/>.</summary>
internal delegate bool MethodResolver(object? receiver, string name, object?[] args, out object? result);

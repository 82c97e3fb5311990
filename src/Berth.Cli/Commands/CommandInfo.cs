namespace Berth.Cli.Commands;

/// <summary>A command's entry: handler, usage line (printed on flag errors) and one-line description.</summary>
internal sealed record CommandInfo(string Name, CommandHandler Handler, string Usage, string Description);

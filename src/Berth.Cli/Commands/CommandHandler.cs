namespace Berth.Cli.Commands;

/// <summary>A command: arguments after its name in, exit code out.</summary>
internal delegate Task<int> CommandHandler(CliContext ctx, string[] args, CancellationToken ct);

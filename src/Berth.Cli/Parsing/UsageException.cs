namespace Berth.Cli.Parsing;

/// <summary>Bad command line; printed with docker's "See 'berth CMD --help'." hint, exit 125 for container commands.</summary>
internal sealed class UsageException(string message) : Exception(message);

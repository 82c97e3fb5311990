namespace Berth.Integration.Tests.Support;

/// <summary>What a finished helper process left: its exit code and everything it printed.</summary>
public sealed record CommandResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>For assertion messages: the whole result on a few lines.</summary>
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

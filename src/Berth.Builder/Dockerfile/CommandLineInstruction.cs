namespace Berth.Builder.Dockerfile;

/// <summary>
/// RUN, CMD and ENTRYPOINT: the exec form keeps its array; the shell form is one string that gets the SHELL prepended
/// (<see cref="PrependShell"/>). Heredoc bodies attached to RUN are in <see cref="Files"/>.
/// </summary>
public abstract class CommandLineInstruction : Instruction
{
    public required List<string> CommandLine { get; init; }
    public bool PrependShell { get; init; }
    public List<Heredoc> Files { get; init; } = [];
}

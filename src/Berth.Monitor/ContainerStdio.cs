namespace Berth.Monitor;

/// <summary>Our ends of the container's standard streams.</summary>
/// <param name="Output">The stdout pipe's read end, or the terminal's master side.</param>
/// <param name="Errors">The stderr pipe's read end (with a terminal, only the runtime's own messages come here).</param>
/// <param name="Input">Where attach clients' bytes go: the stdin pipe's write end or the master; -1 without stdin.</param>
internal sealed record ContainerStdio(int Output, int Errors, int Input, bool IsTerminal);

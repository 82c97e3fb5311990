namespace Berth.Builder.Dockerfile;

public sealed class CmdInstruction : CommandLineInstruction;

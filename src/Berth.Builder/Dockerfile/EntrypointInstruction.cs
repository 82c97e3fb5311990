namespace Berth.Builder.Dockerfile;

public sealed class EntrypointInstruction : CommandLineInstruction;

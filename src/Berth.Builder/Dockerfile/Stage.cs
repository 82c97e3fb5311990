namespace Berth.Builder.Dockerfile;

/// <summary>A build stage: its FROM (base, optional <c>AS name</c>, <c>--platform</c>) and the instructions after it.</summary>
public sealed class Stage
{
    public required string BaseName { get; init; }
    public string Name { get; init; } = "";
    public string Platform { get; init; } = "";
    public required string Code { get; init; }
    public int Line { get; init; }
    public List<Instruction> Commands { get; } = [];
}

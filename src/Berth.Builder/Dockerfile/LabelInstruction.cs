namespace Berth.Builder.Dockerfile;

public sealed class LabelInstruction : Instruction
{
    public required List<KeyValue> Pairs { get; init; }

    /// <summary>Set for labels from <c>--label</c>, which are taken literally.</summary>
    public bool NoExpand { get; init; }
}

namespace Berth.Builder.Dockerfile;

/// <summary>A Dockerfile as stages: the global ARGs before the first FROM, then each stage with its instructions.</summary>
public sealed record DockerfileDocument(IReadOnlyList<ArgInstruction> MetaArgs, IReadOnlyList<Stage> Stages, char EscapeToken, IReadOnlyList<string> Warnings)
{
    /// <summary>Index of the stage named <paramref name="name"/> (case-insensitive), or -1.</summary>
    public int IndexOf(string name)
    {
        for (var i = 0; i < Stages.Count; i++)
            if (Stages[i].Name.Length > 0 && Stages[i].Name.Equals(name, StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }
}

namespace Berth.Builder.Dockerfile;

/// <summary>COPY, or ADD when <see cref="IsAdd"/> (which also unpacks local tars and accepts URLs).</summary>
public sealed class CopyInstruction : Instruction
{
    public bool IsAdd { get; init; }
    public required List<string> Sources { get; set; }
    public List<InlineSource> Inline { get; set; } = [];
    public required string Dest { get; set; }
    public string From { get; init; } = "";
    public string Chown { get; set; } = "";
    public string Chmod { get; set; } = "";
    public bool Link { get; init; }
    public bool Parents { get; init; }
    public List<string> Excludes { get; init; } = [];
    public string Checksum { get; set; } = "";
    public bool? Unpack { get; init; }
}

namespace Berth.Compose.Engine;

/// <summary>What <c>compose down</c> takes from the command line.</summary>
public sealed record DownOptions
{
    /// <summary>-v: remove named volumes declared in the file and anonymous volumes of the containers.</summary>
    public bool Volumes { get; init; }

    /// <summary>--rmi local (images built for services without <c>image</c>) or all.</summary>
    public string? RemoveImages { get; init; }

    public bool RemoveOrphans { get; init; }

    /// <summary>-t: seconds to wait for stop before killing.</summary>
    public int? Timeout { get; init; }
}

using Berth.Compose.Model;

namespace Berth.Compose;

/// <summary>Loads a Compose project the way docker compose v2 does: discovery, merge, include, extends, interpolation, profiles, validation.</summary>
public static class ComposeLoader
{
    /// <summary>Loads from files on disk.</summary>
    public static Task<ComposeProject> LoadAsync(ComposeLoadOptions options, CancellationToken ct)
        => throw new NotImplementedException("compose loader: in progress");

    /// <summary>Loads a single document given as text (tests, fuzzing). <paramref name="fileName"/> is used in errors and to resolve relative paths.</summary>
    public static ComposeProject LoadFromText(string yaml, ComposeLoadOptions options, string fileName = "compose.yaml")
        => throw new NotImplementedException("compose loader: in progress");
}

namespace Berth.Builder.Execution;

/// <summary>The built image and the familiar names it was tagged with.</summary>
public sealed record BuildResult(string ImageId, IReadOnlyList<string> Tags);

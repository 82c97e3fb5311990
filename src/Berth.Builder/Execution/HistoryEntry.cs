namespace Berth.Builder.Execution;

/// <summary>One <c>history</c> item of an image config.</summary>
public sealed record HistoryEntry(string Created, string? CreatedBy, string? Author, string? Comment, bool EmptyLayer);

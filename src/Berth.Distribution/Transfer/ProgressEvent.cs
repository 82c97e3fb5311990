namespace Berth.Distribution.Transfer;

/// <summary>
/// One progress message of a pull or push, in Docker's words (<c>Downloading</c>, <c>Pull complete</c>, <c>Pushed</c>…). <c>Id</c>
/// is the short layer id (or the tag for the first line); <c>Current</c>/<c>Total</c> make a progress bar.
/// </summary>
public sealed record ProgressEvent(string? Id, string Status, long? Current = null, long? Total = null, bool Detail = false);

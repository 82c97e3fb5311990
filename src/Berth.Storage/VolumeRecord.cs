namespace Berth.Storage;

/// <summary>
/// A volume as stored. <paramref name="Anonymous"/> marks volumes created for <c>-v /path</c> or an image VOLUME (pruned by
/// default, removed with their container by <c>rm -v</c>/<c>--rm</c>).
/// </summary>
public sealed record VolumeRecord(
    string Name, string Driver, DateTimeOffset CreatedAt, IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Options, bool Anonymous);

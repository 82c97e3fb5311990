namespace Berth.Services.Images;

/// <summary>The image services beyond lookup and tagging, handed to the API as one group.</summary>
public sealed record ImageServices(ImageDistributionService Distribution, ImageArchiveService Archive, ImageCommitService Commit, ImagePruneService Prune);

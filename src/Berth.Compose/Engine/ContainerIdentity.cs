namespace Berth.Compose.Engine;

/// <summary>
/// Who a container is within its project: replica <see cref="Number"/> of a service (0 for a one-off <c>compose run</c>
/// container, which Compose does not number), its name, the service's config hash and the image it runs.
/// </summary>
public sealed record ContainerIdentity(string Name, int Number, string ConfigHash, string? ImageId = null, bool OneOff = false, string? Slug = null,
    string? Replaces = null);

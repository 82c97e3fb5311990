namespace Berth.Runtime;

/// <summary>An OCI mount. A mount whose destination equals a default one (/dev/shm, /etc/hosts…) replaces it, as in Docker.</summary>
public sealed record SpecMount(string Destination, string Type, string Source, IReadOnlyList<string> Options);

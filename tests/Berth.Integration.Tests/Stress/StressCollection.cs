using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Stress;

/// <summary>
/// The stress tests get a berthd of their own: they SIGKILL it, load it and count its file descriptors, none of which
/// should disturb (or be disturbed by) the other end-to-end tests' daemon. It has its own bridge and data root.
/// </summary>
[CollectionDefinition(Name)]
public sealed class StressCollection : ICollectionFixture<DaemonFixture>
{
    public const string Name = "berthd stress";
}

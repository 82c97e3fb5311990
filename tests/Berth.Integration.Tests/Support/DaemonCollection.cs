namespace Berth.Integration.Tests.Support;

/// <summary>
/// The end-to-end classes share one berthd and run one after another: daemons started side by side would fight
/// over the default bridge (see DESIGN pitfalls), and crash tests restart the daemon under everyone in it.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DaemonCollection : ICollectionFixture<DaemonFixture>
{
    public const string Name = "berthd end to end";
}

global using Xunit;

// One daemon, real containers and two cores: classes run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

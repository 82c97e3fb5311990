using Berth.Builder.Execution;

namespace Berth.Services.Build;

/// <summary>Runs classic builds (<c>POST /build</c>, <c>berth build</c>) against the engine and forgets the build cache on prune.</summary>
public sealed class BuildService(IBuildBackend backend, Storage.MetadataStore meta, TimeProvider? time = null)
{
    /// <summary>Builds from a context tar (plain or gzip); progress goes to <paramref name="output"/>. Build errors are BuildFailedException.</summary>
    public Task<BuildResult> BuildAsync(Stream contextTar, BuildOptions options, IBuildOutput output, CancellationToken ct) =>
        new ClassicBuilder(backend, time).BuildFromTarAsync(contextTar, options, output, ct);

    /// <summary>Drops every cache entry; the intermediate images stay until pruned as images.</summary>
    public int Prune() => meta.ClearBuildCache();

    public string CreateTempDirectory() => backend.CreateTempDirectory();
}

using Berth.Compose;
using Berth.Compose.Model;

namespace Berth.Tests.Compose;

/// <summary>A unique temp directory holding Compose files for one test; deleted on dispose.</summary>
internal sealed class ComposeTestDirectory : IDisposable
{
    public ComposeTestDirectory()
    {
        Root = Path.Join(Path.GetTempPath(), "berth-compose-" + Guid.NewGuid().ToString("N")[..12], "proj");
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Write(string relativePath, string content)
    {
        var path = Path.Join(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public ComposeLoadOptions Options(Dictionary<string, string>? env = null) => new()
    {
        WorkingDirectory = Root,
        Environment = env ?? new Dictionary<string, string>(StringComparer.Ordinal),
        HomeDirectory = "/home/tester",
    };

    public Task<ComposeProject> LoadAsync(ComposeLoadOptions? options = null)
        => ComposeLoader.LoadAsync(options ?? Options(), CancellationToken.None);

    /// <summary>Loads <paramref name="yaml"/> as compose.yaml in this directory with the given environment.</summary>
    public ComposeProject Text(string yaml, Dictionary<string, string>? env = null)
        => ComposeLoader.LoadFromText(yaml, Options(env) with { ProjectDirectory = Root });

    public void Dispose()
    {
        try { Directory.Delete(Path.GetDirectoryName(Root)!, recursive: true); }
        catch (IOException) { /* best effort: a leftover temp dir is harmless */ }
    }
}

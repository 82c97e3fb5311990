namespace Berth.Tests.Storage;

/// <summary>A unique temp directory removed with everything in it.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Path = Directory.CreateTempSubdirectory("berth-test-").FullName;

    public string Path { get; }

    public string Sub(string name) => System.IO.Path.Join(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}

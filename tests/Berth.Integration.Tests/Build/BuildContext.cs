using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Build;

/// <summary>A throwaway build context directory with a unique image name; disposing removes the directory and the images tagged.</summary>
internal sealed class BuildContext : IAsyncDisposable
{
    private readonly DaemonFixture _daemon;
    private readonly List<string> _tags = [];

    public BuildContext(DaemonFixture daemon, string prefix)
    {
        _daemon = daemon;
        Dir = Path.Combine(Path.GetTempPath(), $"berth-bctx-{prefix}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(Dir);
        Name = $"it-build-{prefix}-{Guid.NewGuid():N}"[..28];
    }

    public string Dir { get; }

    /// <summary>An image name unique to this test.</summary>
    public string Name { get; }

    public string Tag(string tag)
    {
        var full = $"{Name}:{tag}";
        _tags.Add(full);
        return full;
    }

    public BuildContext File(string rel, string content)
    {
        var path = Path.Combine(Dir, rel);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        return this;
    }

    /// <summary>The real docker CLI with the classic builder (DOCKER_BUILDKIT=0, as users without buildx get).</summary>
    public Task<CommandResult> DockerBuildAsync(params string[] args)
    {
        var env = new Dictionary<string, string?>(_daemon.ClientEnvironment) { ["DOCKER_BUILDKIT"] = "0" };
        return ProcessRunner.RunAsync(DaemonFixture.DockerCliPath, ["build", .. args, Dir], env, null, TimeSpan.FromMinutes(2));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var t in _tags)
        {
            try { await _daemon.RunDockerAsync(["rmi", "-f", t], timeout: TimeSpan.FromSeconds(30)); }
            catch (TimeoutException) { } // the fixture's teardown deletes the whole data root
        }
        try { Directory.Delete(Dir, recursive: true); }
        catch (IOException) { } // a temp dir; nothing else depends on it
    }

    /// <summary>Splits classic-builder output into steps: for each "Step n/m : X", whether it hit the cache and whether it ran a container.</summary>
    public static List<(string Step, bool Cached, bool Ran)> Steps(string output)
    {
        var result = new List<(string, bool, bool)>();
        foreach (var chunk in output.Split("Step ").Skip(1))
        {
            var head = chunk.Split('\n')[0];
            var text = head[(head.IndexOf(" : ", StringComparison.Ordinal) + 3)..];
            result.Add((text, chunk.Contains(" ---> Using cache", StringComparison.Ordinal), chunk.Contains(" ---> Running in ", StringComparison.Ordinal)));
        }
        return result;
    }
}

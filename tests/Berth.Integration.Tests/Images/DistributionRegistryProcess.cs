using System.Diagnostics;

namespace Berth.Integration.Tests.Images;

/// <summary>Debian's <c>docker-registry</c> (distribution 2.x) on 127.0.0.1 and a free port, with a temp YAML config and storage.</summary>
internal sealed class DistributionRegistryProcess : IAsyncDisposable
{
    public const string Binary = "/usr/bin/docker-registry";
    private readonly Process _process;

    private DistributionRegistryProcess(Process process, int port, string root)
    {
        _process = process;
        Port = port;
        Root = root;
    }

    public int Port { get; }

    public string Root { get; }

    public string Address => $"127.0.0.1:{Port}";

    public static async Task<DistributionRegistryProcess> StartAsync(string? htpasswd = null)
    {
        var root = Directory.CreateTempSubdirectory("berth-distreg-").FullName;
        var port = RegistryProcess.FreePort();
        var auth = htpasswd is null ? "" : $"auth:\n  htpasswd:\n    realm: test-realm\n    path: {htpasswd}\n";
        var config = Path.Join(root, "config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: error
            storage:
              filesystem:
                rootdirectory: {Path.Join(root, "data")}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port}
            {auth}
            """);
        var psi = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("serve");
        psi.ArgumentList.Add(config);
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var registry = new DistributionRegistryProcess(process, port, root);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            try
            {
                using var r = await http.GetAsync($"http://127.0.0.1:{port}/v2/");
                return registry;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50);
            }
            catch
            {
                await registry.DisposeAsync();
                throw;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Images;

/// <summary>
/// <c>out/berth registry serve</c> on 127.0.0.1 and a free port, storing in its own temp dir; disposing stops it (SIGTERM, then
/// kill) and deletes the dir.
/// </summary>
internal sealed class RegistryProcess : IAsyncDisposable
{
    private readonly Process _process;

    private RegistryProcess(Process process, string host, int port, string root)
    {
        _process = process;
        Host = host;
        Port = port;
        Root = root;
    }

    public string Host { get; }

    public int Port { get; }

    public string Root { get; }

    public string Address => $"{Host}:{Port}";

    public static Task<RegistryProcess> StartAsync(params string[] extra) => StartOnAsync("127.0.0.1", tls: false, extra);

    /// <summary>Serves on <paramref name="host"/> (an address of a test's own bridge, say); with <paramref name="tls"/> the readiness
    /// probe speaks HTTPS without checking the certificate (extra must carry --tls-cert and --tls-key).</summary>
    public static async Task<RegistryProcess> StartOnAsync(string host, bool tls, params string[] extra)
    {
        var root = Directory.CreateTempSubdirectory("berth-reg-").FullName;
        var port = FreePort(IPAddress.Parse(host));
        var psi = new ProcessStartInfo(RepoPaths.Berth) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["registry", "serve", "--addr", $"{host}:{port}", "--root", Path.Join(root, "data"), .. extra]) psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var registry = new RegistryProcess(process, host, port, root);
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            try
            {
                using var r = await http.GetAsync($"{(tls ? "https" : "http")}://{host}:{port}/v2/");
                return registry;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50);
            }
            catch
            {
                await registry.DisposeAsync();
                string text;
                lock (log) text = log.ToString();
                throw new InvalidOperationException($"berth registry serve did not come up on {port}: {text}");
            }
        }
    }

    /// <summary>A port nothing listens on now (bind to 0, read, close): good enough for a test on loopback.</summary>
    public static int FreePort(IPAddress? on = null)
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(on ?? IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Libc.Kill(_process.Id, 15);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}

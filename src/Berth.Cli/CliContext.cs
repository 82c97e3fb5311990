using Berth.Client;

namespace Berth.Cli;

/// <summary>What a command needs: the client (created on first use), the output streams and the environment.</summary>
internal sealed class CliContext(string socketPath, TextWriter output, TextWriter error, Func<string, string?> env) : IDisposable
{
    private BerthClient? _client;

    public BerthClient Client => _client ??= new BerthClient(socketPath);

    public TextWriter Out { get; } = output;

    public TextWriter Err { get; } = error;

    public Func<string, string?> Env { get; } = env;

    public Stream StdoutStream { get; init; } = Stream.Null;

    public Stream StderrStream { get; init; } = Stream.Null;

    public Stream StdinStream { get; init; } = Stream.Null;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public void Dispose() => _client?.Dispose();

    /// <summary><c>-H</c>, then <c>BERTH_HOST</c>, then a unix:// <c>DOCKER_HOST</c>, then <c>/run/berth/berth.sock</c>.</summary>
    public static string ResolveSocket(string? hostFlag, Func<string, string?> env)
    {
        var host = hostFlag;
        if (string.IsNullOrEmpty(host)) host = env("BERTH_HOST");
        if (string.IsNullOrEmpty(host) && env("DOCKER_HOST") is { } d && d.StartsWith("unix://", StringComparison.Ordinal)) host = d;
        if (string.IsNullOrEmpty(host)) return "/run/berth/berth.sock";
        if (host.StartsWith("unix://", StringComparison.Ordinal)) return host["unix://".Length..];
        if (host.StartsWith('/')) return host;
        throw new Parsing.UsageException($"unsupported host \"{host}\": berth only speaks to unix:// sockets");
    }
}

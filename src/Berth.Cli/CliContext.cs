using Berth.Client;

namespace Berth.Cli;

/// <summary>What a command needs: the client (created on first use), the output streams and the environment.</summary>
internal sealed class CliContext(DaemonEndpoint endpoint, TextWriter output, TextWriter error, Func<string, string?> env) : IDisposable
{
    private BerthClient? _client;

    public CliContext(string socketPath, TextWriter output, TextWriter error, Func<string, string?> env)
        : this(DaemonEndpoint.Unix(socketPath), output, error, env)
    {
    }

    public BerthClient Client => _client ??= new BerthClient(endpoint);

    public TextWriter Out { get; } = output;

    public TextWriter Err { get; } = error;

    public Func<string, string?> Env { get; } = env;

    public Stream StdoutStream { get; init; } = Stream.Null;

    public Stream StderrStream { get; init; } = Stream.Null;

    public Stream StdinStream { get; init; } = Stream.Null;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The terminal's fd when <see cref="Out"/> is one (progress bars are drawn only then), else null.</summary>
    public int? OutTerminal { get; init; }

    /// <summary>The terminal's fd when <see cref="Err"/> is one, else null.</summary>
    public int? ErrTerminal { get; init; }

    /// <summary>The terminal fd behind <paramref name="writer"/>, if it is our stdout or stderr and that is a terminal.</summary>
    public int? TerminalOf(TextWriter writer) => ReferenceEquals(writer, Out) ? OutTerminal : ReferenceEquals(writer, Err) ? ErrTerminal : null;

    public void Dispose() => _client?.Dispose();

    /// <summary>
    /// <c>-H</c>, then <c>BERTH_HOST</c>, then <c>DOCKER_HOST</c>, then <c>/run/berth/berth.sock</c>; for tcp:// the TLS
    /// settings follow the docker CLI: <c>--tlsverify</c> or a non-empty <c>DOCKER_TLS_VERIFY</c> verifies the server,
    /// <c>--tls</c> encrypts only, and the PEM files default to <c>$DOCKER_CERT_PATH</c> (else <c>~/.docker</c>)
    /// <c>/ca.pem</c>, <c>cert.pem</c>, <c>key.pem</c>. The port defaults to 2376 with TLS, 2375 without.
    /// </summary>
    public static DaemonEndpoint ResolveEndpoint(string? hostFlag, TlsFlags tls, Func<string, string?> env)
    {
        var host = hostFlag;
        if (string.IsNullOrEmpty(host)) host = env("BERTH_HOST");
        if (string.IsNullOrEmpty(host)) host = env("DOCKER_HOST");
        if (string.IsNullOrEmpty(host)) return DaemonEndpoint.Unix("/run/berth/berth.sock");
        if (host.StartsWith("unix://", StringComparison.Ordinal)) return DaemonEndpoint.Unix(host["unix://".Length..]);
        if (host.StartsWith('/')) return DaemonEndpoint.Unix(host);
        if (!host.StartsWith("tcp://", StringComparison.Ordinal))
            throw new Parsing.UsageException($"unsupported host \"{host}\": berth speaks to unix:// sockets and tcp:// addresses");
        var verify = tls.TlsVerify ?? !string.IsNullOrEmpty(env("DOCKER_TLS_VERIFY"));
        var useTls = verify || tls.Tls;
        var certDir = env("DOCKER_CERT_PATH");
        if (string.IsNullOrEmpty(certDir)) certDir = Path.Combine(env("HOME") ?? "/root", ".docker");
        var rest = host["tcp://".Length..].TrimEnd('/');
        var port = useTls ? 2376 : 2375;
        var colon = rest.LastIndexOf(':');
        if (colon >= 0 && !rest.EndsWith(']'))
        {
            if (!int.TryParse(rest[(colon + 1)..], out port) || port is <= 0 or > 65535)
                throw new Parsing.UsageException($"invalid host \"{host}\": bad port");
            rest = rest[..colon];
        }
        rest = rest.Trim('[', ']');
        if (rest.Length == 0) rest = "127.0.0.1";
        return DaemonEndpoint.Tcp(rest, port, useTls, verify,
            tls.CaCert ?? Path.Combine(certDir, "ca.pem"), tls.Cert ?? Path.Combine(certDir, "cert.pem"), tls.Key ?? Path.Combine(certDir, "key.pem"));
    }
}

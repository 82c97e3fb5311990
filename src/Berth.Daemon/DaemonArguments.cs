namespace Berth.Daemon;

/// <summary>berthd's command line, in dockerd's words (<c>--data-root</c>, <c>--exec-root</c>, <c>-H</c>, <c>--runtime</c>,
/// <c>--log-level</c>, <c>--tlsverify</c>...).</summary>
internal sealed class DaemonArguments
{
    public string DataRoot { get; private set; } = "/var/lib/berth";
    public string ExecRoot { get; private set; } = "/run/berth";
    public List<string> Hosts { get; } = [];
    public string Runtime { get; private set; } = "crun";
    public string LogLevel { get; private set; } = "info";
    public const string DefaultGroup = "berth";
    public string? Group { get; private set; } = DefaultGroup;
    public string Bridge { get; private set; } = "berth0";
    public string Bip { get; private set; } = "172.30.0.1/16";
    public List<string> InsecureRegistries { get; } = [];
    public string LogDriver { get; private set; } = "json-file";
    public Dictionary<string, string> LogOpts { get; } = new(StringComparer.Ordinal);
    public bool Tls { get; private set; }
    public bool TlsVerify { get; private set; }
    public string TlsCaCert { get; private set; } = DefaultCertFile("ca.pem");
    public string TlsCert { get; private set; } = DefaultCertFile("cert.pem");
    public string TlsKey { get; private set; } = DefaultCertFile("key.pem");

    public static DaemonArguments Parse(string[] args)
    {
        var result = new DaemonArguments();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string? inline = null;
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0) { inline = arg[(eq + 1)..]; arg = arg[..eq]; }
            string Value() => inline ?? (i + 1 < args.Length ? args[++i] : throw new ArgumentException($"flag needs an argument: {arg}"));
            switch (arg)
            {
                case "--data-root" or "-g": result.DataRoot = Path.GetFullPath(Value()); break;
                case "--exec-root": result.ExecRoot = Path.GetFullPath(Value()); break;
                case "-H" or "--host": result.Hosts.Add(Value()); break;
                case "--runtime" or "--default-runtime": result.Runtime = Value(); break;
                case "-l" or "--log-level": result.LogLevel = Value(); break;
                case "-G" or "--group": result.Group = Value(); break;
                case "-b" or "--bridge": result.Bridge = Value(); break;
                case "--bip": result.Bip = Value(); break;
                case "--insecure-registry": result.InsecureRegistries.Add(Value()); break;
                case "-D" or "--debug": result.LogLevel = "debug"; break;
                case "--log-driver": result.LogDriver = Value(); break;
                case "--log-opt":
                    var opt = Value();
                    var sep = opt.IndexOf('=', StringComparison.Ordinal);
                    if (sep <= 0) throw new ArgumentException($"invalid --log-opt {opt}: expected key=value");
                    result.LogOpts[opt[..sep]] = opt[(sep + 1)..];
                    break;
                case "--tls": result.Tls = Bool(inline, arg); break;
                case "--tlsverify": result.TlsVerify = Bool(inline, arg); break;
                case "--tlscacert": result.TlsCaCert = Path.GetFullPath(Value()); break;
                case "--tlscert": result.TlsCert = Path.GetFullPath(Value()); break;
                case "--tlskey": result.TlsKey = Path.GetFullPath(Value()); break;
                case "-h" or "--help": throw new HelpRequestedException();
                default: throw new ArgumentException($"unknown flag: {arg}");
            }
        }
        if (result.Hosts.Count == 0) result.Hosts.Add($"unix://{Path.Combine(result.ExecRoot, "berth.sock")}".Replace("unix:///run/berth/berth.sock", "unix:///run/berth/berth.sock", StringComparison.Ordinal));
        if (result.Runtime is not ("crun" or "runc")) throw new ArgumentException($"unknown runtime: {result.Runtime} (crun or runc)");
        if (result.TlsVerify) result.Tls = true;   // as dockerd: --tlsverify implies --tls
        foreach (var host in result.Hosts) DaemonListenAddress.Parse(host, result.TlsVerify, result.Tls);
        return result;
    }

    // dockerd's defaults: $DOCKER_CERT_PATH, else ~/.docker.
    private static string DefaultCertFile(string name)
    {
        var dir = Environment.GetEnvironmentVariable("DOCKER_CERT_PATH");
        if (string.IsNullOrEmpty(dir)) dir = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
        return Path.Combine(dir, name);
    }

    // Boolean flags take no separate argument; only --flag=true|false.
    private static bool Bool(string? inline, string flag) => inline switch
    {
        null or "true" or "1" => true,
        "false" or "0" => false,
        _ => throw new ArgumentException($"invalid boolean value \"{inline}\" for {flag}"),
    };

    public const string Usage = """
        Usage:	berthd [OPTIONS]

        A Docker-compatible container engine

        Options:
              --data-root string    Root directory of persistent state (default "/var/lib/berth")
              --exec-root string    Root directory for execution state (default "/run/berth")
          -H, --host list           Daemon socket(s) to listen on: unix:///path, or tcp://ADDR:PORT with
                                    --tlsverify (default unix:///run/berth/berth.sock)
              --runtime string      OCI runtime: crun or runc (default "crun")
          -b, --bridge string       Default bridge of this daemon; also names its firewall chains (default "berth0")
              --bip string          Address and prefix of the default bridge (default "172.30.0.1/16")
          -G, --group string        Group for the unix socket, which is made 0660 (default "berth"; root
                                    when that group does not exist)
              --tls                 Use TLS; implied by --tlsverify (berthd listens on TCP only with --tlsverify)
              --tlsverify           Use TLS and verify the client's certificate against --tlscacert; required
                                    for -H tcp://
              --tlscacert string    Trust certs signed only by this CA (default "$DOCKER_CERT_PATH/ca.pem" or
                                    "~/.docker/ca.pem")
              --tlscert string      Path to TLS certificate file (default "~/.docker/cert.pem")
              --tlskey string       Path to TLS key file (default "~/.docker/key.pem")
          -l, --log-level string    Logging level: debug, info, warn, error (default "info")
              --insecure-registry list  Registries reached without verifying TLS, else over plain HTTP (loopback
                                    ones always are); others trust /etc/docker/certs.d/HOST:PORT/*.crt
              --log-driver string   Default driver for container logs: json-file, local, none (default "json-file")
              --log-opt map         Default log driver options (max-size=20m, max-file=5)
        """;
}

internal sealed class HelpRequestedException : Exception;

namespace Berth.Compose.Model;

/// <summary>One service, normalized to the long form of every key. Null means "not set" (engine default applies).</summary>
public sealed record ServiceConfig
{
    public required string Name { get; init; }
    public string? Image { get; init; }
    public BuildConfig? Build { get; init; }

    /// <summary>Null: not set (image default). A string in the file was split with shell-words rules.</summary>
    public IReadOnlyList<string>? Command { get; init; }
    public IReadOnlyList<string>? Entrypoint { get; init; }

    /// <summary>Container environment in declaration order: env_file values overridden by <c>environment</c>.
    /// A null value means "KEY" with no value and nothing found to resolve it.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>(StringComparer.Ordinal);
    public IReadOnlyList<EnvFileConfig> EnvFiles { get; init; } = [];

    public IReadOnlyList<PortConfig> Ports { get; init; } = [];
    public IReadOnlyList<string> Expose { get; init; } = [];
    public IReadOnlyList<ServiceVolumeConfig> Volumes { get; init; } = [];
    public IReadOnlyList<string> Tmpfs { get; init; } = [];

    /// <summary>Networks the service joins (name -> attachment). Empty when <see cref="NetworkMode"/> is set.</summary>
    public IReadOnlyDictionary<string, ServiceNetworkConfig> Networks { get; init; } = new SortedDictionary<string, ServiceNetworkConfig>(StringComparer.Ordinal);
    public string? NetworkMode { get; init; }

    public IReadOnlyDictionary<string, ServiceDependency> DependsOn { get; init; } = new SortedDictionary<string, ServiceDependency>(StringComparer.Ordinal);
    public HealthcheckConfig? Healthcheck { get; init; }
    public string? Restart { get; init; }
    public DeployConfig? Deploy { get; init; }
    public int? Scale { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
    public string? ContainerName { get; init; }
    public string? Hostname { get; init; }
    public string? DomainName { get; init; }
    public string? User { get; init; }
    public string? WorkingDir { get; init; }
    public bool ReadOnly { get; init; }
    public bool Privileged { get; init; }
    public IReadOnlyList<string> CapAdd { get; init; } = [];
    public IReadOnlyList<string> CapDrop { get; init; } = [];
    public IReadOnlyList<string> SecurityOpt { get; init; } = [];
    public string? StopSignal { get; init; }
    public TimeSpan? StopGracePeriod { get; init; }
    public bool? Init { get; init; }
    public LoggingConfig? Logging { get; init; }

    /// <summary>Extra /etc/hosts entries in Docker's API form "host:ip".</summary>
    public IReadOnlyList<string> ExtraHosts { get; init; } = [];
    public IReadOnlyList<string> Dns { get; init; } = [];
    public IReadOnlyList<string> DnsSearch { get; init; } = [];
    public IReadOnlyList<string> DnsOpt { get; init; } = [];
    public IReadOnlyDictionary<string, UlimitConfig> Ulimits { get; init; } = new SortedDictionary<string, UlimitConfig>(StringComparer.Ordinal);
    public IReadOnlyDictionary<string, string> Sysctls { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
    public IReadOnlyList<ServiceFileReference> Secrets { get; init; } = [];
    public IReadOnlyList<ServiceFileReference> Configs { get; init; } = [];
    public string? PullPolicy { get; init; }
    public IReadOnlyList<string> Profiles { get; init; } = [];
    public bool Tty { get; init; }
    public bool StdinOpen { get; init; }

    // Less common keys, still mapped to the engine API when set.
    public string? Platform { get; init; }
    public string? Pid { get; init; }
    public string? Ipc { get; init; }
    public long? ShmSize { get; init; }
    public long? MemLimit { get; init; }
    public double? Cpus { get; init; }
    public IReadOnlyList<string> Devices { get; init; } = [];
    public IReadOnlyList<string> GroupAdd { get; init; } = [];
    public IReadOnlyList<string> Links { get; init; } = [];
    public string? MacAddress { get; init; }

    /// <summary>Number of containers to run: scale, else deploy.replicas, else 1.</summary>
    public int EffectiveScale => Scale ?? Deploy?.Replicas ?? 1;
}

using Berth.Compose;
using Berth.Compose.Engine;
using Berth.Compose.Model;

namespace Berth.Tests.Compose.Engine;

public sealed class ContainerRequestBuilderTests
{
    private static ComposeProject Project(params ServiceConfig[] services) => new()
    {
        Name = "demo",
        WorkingDir = "/src/demo",
        ConfigFiles = ["/src/demo/compose.yaml", "/src/demo/compose.override.yaml"],
        Services = services.ToDictionary(s => s.Name, StringComparer.Ordinal),
        Networks = new SortedDictionary<string, NetworkConfig>(StringComparer.Ordinal)
        {
            ["default"] = new() { Name = "demo_default" },
            ["back"] = new() { Name = "demo_back", Internal = true },
            ["front"] = new() { Name = "demo_front" },
        },
        Volumes = new SortedDictionary<string, VolumeConfig>(StringComparer.Ordinal) { ["pgdata"] = new() { Name = "demo_pgdata" } },
        Secrets = new SortedDictionary<string, FileObjectConfig>(StringComparer.Ordinal) { ["token"] = new() { Name = "demo_token", File = "/src/demo/token.txt" } },
        Configs = new SortedDictionary<string, FileObjectConfig>(StringComparer.Ordinal) { ["app"] = new() { Name = "demo_app", File = "/src/demo/app.conf" } },
    };

    private static readonly ContainerIdentity Id = new("demo-api-2", 2, "abc123", "sha256:img");

    [Fact]
    public void Labels_AreComposeV2s()
    {
        var api = new ServiceConfig
        {
            Name = "api",
            Labels = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["tier"] = "web" },
            DependsOn = new SortedDictionary<string, ServiceDependency>(StringComparer.Ordinal)
            {
                ["cache"] = new(),
                ["db"] = new() { Condition = ServiceDependency.ServiceHealthy, Restart = true },
            },
        };
        var labels = ContainerRequestBuilder.Build(Project(api), api, Id, _ => null).Labels!;
        Assert.Equal("demo", labels[ComposeLabels.Project]);
        Assert.Equal("api", labels[ComposeLabels.Service]);
        Assert.Equal("2", labels[ComposeLabels.ContainerNumber]);
        Assert.Equal("False", labels[ComposeLabels.OneOff]);
        Assert.Equal("abc123", labels[ComposeLabels.ConfigHash]);
        Assert.Equal("/src/demo", labels[ComposeLabels.WorkingDir]);
        Assert.Equal("/src/demo/compose.yaml,/src/demo/compose.override.yaml", labels[ComposeLabels.ConfigFiles]);
        Assert.Equal("cache:service_started:false,db:service_healthy:true", labels[ComposeLabels.DependsOn]);
        Assert.Equal("sha256:img", labels[ComposeLabels.Image]);
        Assert.Equal("web", labels["tier"]);
        Assert.True(labels.ContainsKey(ComposeLabels.Version));
    }

    [Fact]
    public void OneOff_HasNoNumberAndOnlyItsOwnAlias()
    {
        var api = new ServiceConfig { Name = "api" };
        var r = ContainerRequestBuilder.Build(Project(api), api, new ContainerIdentity("demo-api-run-1234", 0, "h", OneOff: true), _ => null);
        Assert.Equal("True", r.Labels![ComposeLabels.OneOff]);
        Assert.False(r.Labels.ContainsKey(ComposeLabels.ContainerNumber));
        Assert.Equal(["demo-api-run-1234"], r.NetworkingConfig!.EndpointsConfig!["demo_default"].Aliases!);
    }

    [Fact]
    public void Networks_GetAliasesAndAddresses_PrimaryByPriority()
    {
        var api = new ServiceConfig
        {
            Name = "api",
            Networks = new SortedDictionary<string, ServiceNetworkConfig>(StringComparer.Ordinal)
            {
                ["back"] = new() { Aliases = ["backend"], Ipv4Address = "172.30.0.5" },
                ["front"] = new() { Priority = 10 },
            },
        };
        var r = ContainerRequestBuilder.Build(Project(api), api, Id, _ => null);
        Assert.Equal("demo_front", r.HostConfig!.NetworkMode);
        var eps = r.NetworkingConfig!.EndpointsConfig!;
        Assert.Equal(["demo-api-2", "api", "backend"], eps["demo_back"].Aliases!);
        Assert.Equal("172.30.0.5", eps["demo_back"].IPAMConfig!.IPv4Address);
        Assert.Equal(["demo-api-2", "api"], eps["demo_front"].Aliases!);
    }

    [Fact]
    public void NoNetworks_UsesProjectDefault()
    {
        var api = new ServiceConfig { Name = "api" };
        var r = ContainerRequestBuilder.Build(Project(api), api, Id, _ => null);
        Assert.Equal("demo_default", r.HostConfig!.NetworkMode);
        Assert.Equal(["demo_default"], r.NetworkingConfig!.EndpointsConfig!.Keys);
    }

    [Fact]
    public void NetworkModeService_BecomesContainerOfFirstReplica()
    {
        var sidecar = new ServiceConfig { Name = "sidecar", NetworkMode = "service:api" };
        var r = ContainerRequestBuilder.Build(Project(sidecar), sidecar, Id, s => s == "api" ? "cid42" : null);
        Assert.Equal("container:cid42", r.HostConfig!.NetworkMode);
        Assert.Null(r.NetworkingConfig);
        Assert.Throws<ComposeException>(() => ContainerRequestBuilder.Build(Project(sidecar), sidecar, Id, _ => null));
    }

    [Fact]
    public void ServiceKeys_MapToCreateRequest()
    {
        var api = new ServiceConfig
        {
            Name = "api",
            Image = "busybox:latest",
            Command = ["httpd", "-f"],
            Entrypoint = ["/bin/sh", "-c"],
            Environment = new Dictionary<string, string?>(StringComparer.Ordinal) { ["A"] = "1", ["UNSET"] = null },
            Ports = [new PortConfig { Target = 80, Published = "8080", HostIp = "127.0.0.1" }, new PortConfig { Target = 53, Protocol = "udp" }],
            Expose = ["3000-3001", "9000/udp"],
            Healthcheck = new HealthcheckConfig { Test = ["CMD-SHELL", "true"], Interval = TimeSpan.FromSeconds(1), Retries = 3 },
            Restart = "on-failure:4",
            Deploy = new DeployConfig { Limits = new ResourceLimits { Cpus = 0.5, Memory = 64 << 20, Pids = 100 } },
            Hostname = "h",
            User = "1000:1000",
            WorkingDir = "/w",
            ReadOnly = true,
            CapAdd = ["NET_ADMIN"],
            CapDrop = ["ALL"],
            SecurityOpt = ["no-new-privileges:true"],
            StopSignal = "SIGINT",
            StopGracePeriod = TimeSpan.FromSeconds(3),
            Init = true,
            Logging = new LoggingConfig { Driver = "json-file", Options = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["max-size"] = "1m" } },
            ExtraHosts = ["host.example:10.0.0.1"],
            Dns = ["1.1.1.1"],
            Ulimits = new SortedDictionary<string, UlimitConfig>(StringComparer.Ordinal) { ["nofile"] = new(1024, 2048) },
            Sysctls = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["net.core.somaxconn"] = "1024" },
            Tty = true,
            StdinOpen = true,
            Tmpfs = ["/run:size=1m"],
        };
        var r = ContainerRequestBuilder.Build(Project(api), api, Id, _ => null);
        var h = r.HostConfig!;
        Assert.Equal("busybox:latest", r.Image);
        Assert.Equal(["httpd", "-f"], r.Cmd!);
        Assert.Equal(["/bin/sh", "-c"], r.Entrypoint!);
        Assert.Equal(["A=1"], r.Env!);
        Assert.Equal(new[] { "3000/tcp", "3001/tcp", "53/udp", "80/tcp", "9000/udp" }, r.ExposedPorts!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("8080", h.PortBindings!["80/tcp"]![0].HostPort);
        Assert.Equal("127.0.0.1", h.PortBindings["80/tcp"]![0].HostIp);
        Assert.Equal("", h.PortBindings["53/udp"]![0].HostPort);
        Assert.Equal(["CMD-SHELL", "true"], r.Healthcheck!.Test!);
        Assert.Equal(1_000_000_000, r.Healthcheck.Interval);
        Assert.Equal(3, r.Healthcheck.Retries);
        Assert.Equal("on-failure", h.RestartPolicy!.Name);
        Assert.Equal(4, h.RestartPolicy.MaximumRetryCount);
        Assert.Equal(500_000_000, h.NanoCpus);
        Assert.Equal(64 << 20, h.Memory);
        Assert.Equal(100, h.PidsLimit);
        Assert.Equal(("h", "1000:1000", "/w"), (r.Hostname, r.User, r.WorkingDir));
        Assert.True(h.ReadonlyRootfs);
        Assert.Equal(["NET_ADMIN"], h.CapAdd!);
        Assert.Equal(["ALL"], h.CapDrop!);
        Assert.Equal(["no-new-privileges:true"], h.SecurityOpt!);
        Assert.Equal("SIGINT", r.StopSignal);
        Assert.Equal(3, r.StopTimeout);
        Assert.True(h.Init);
        Assert.Equal("json-file", h.LogConfig!.Type);
        Assert.Equal("1m", h.LogConfig.Config!["max-size"]);
        Assert.Equal(["host.example:10.0.0.1"], h.ExtraHosts!);
        Assert.Equal(["1.1.1.1"], h.Dns!);
        Assert.Equal(2048, h.Ulimits!.Single(u => u.Name == "nofile").Hard);
        Assert.Equal("1024", h.Sysctls!["net.core.somaxconn"]);
        Assert.True(r.Tty);
        Assert.True(r.OpenStdin);
        Assert.Equal("size=1m", h.Tmpfs!["/run"]);
    }

    [Fact]
    public void Volumes_SecretsAndConfigs_BecomeMounts()
    {
        var db = new ServiceConfig
        {
            Name = "db",
            Volumes =
            [
                new ServiceVolumeConfig { Type = "volume", Source = "pgdata", Target = "/var/lib/data" },
                new ServiceVolumeConfig { Type = "volume", Target = "/anon" },
                new ServiceVolumeConfig { Type = "bind", Source = "/src/demo/init.sql", Target = "/init.sql", ReadOnly = true, Bind = new ServiceVolumeBind { CreateHostPath = true } },
                new ServiceVolumeConfig { Type = "bind", Source = "/src/demo/conf", Target = "/conf" },
                new ServiceVolumeConfig { Type = "tmpfs", Target = "/scratch", Tmpfs = new ServiceVolumeTmpfs { Size = 1 << 20 } },
            ],
            Secrets = [new ServiceFileReference { Source = "token" }],
            Configs = [new ServiceFileReference { Source = "app" }, new ServiceFileReference { Source = "app", Target = "/etc/app.conf" }],
        };
        var h = ContainerRequestBuilder.Build(Project(db), db, Id, _ => null).HostConfig!;
        Assert.Equal(["/src/demo/init.sql:/init.sql:ro"], h.Binds!);
        var m = h.Mounts!;
        Assert.Contains(m, x => x is { Type: "volume", Source: "demo_pgdata", Target: "/var/lib/data" });
        Assert.Contains(m, x => x is { Type: "volume", Source: null, Target: "/anon" });
        Assert.Contains(m, x => x is { Type: "bind", Source: "/src/demo/conf", Target: "/conf" });
        Assert.Contains(m, x => x.Type == "tmpfs" && x.Target == "/scratch" && x.TmpfsOptions!.SizeBytes == 1 << 20);
        Assert.Contains(m, x => x is { Type: "bind", Source: "/src/demo/token.txt", Target: "/run/secrets/token", ReadOnly: true });
        Assert.Contains(m, x => x is { Type: "bind", Source: "/src/demo/app.conf", Target: "/app", ReadOnly: true });
        Assert.Contains(m, x => x is { Type: "bind", Target: "/etc/app.conf" });
    }

    [Fact]
    public void BuildOnlyService_RunsProjectDashServiceImage()
    {
        var api = new ServiceConfig { Name = "api", Build = new BuildConfig { Context = "/src/demo" } };
        Assert.Equal("demo-api", ContainerRequestBuilder.Build(Project(api), api, Id, _ => null).Image);
    }
}

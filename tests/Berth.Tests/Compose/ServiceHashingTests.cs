using Berth.Compose;
using Berth.Compose.Hashing;

namespace Berth.Tests.Compose;

/// <summary>
/// The config-hash input is the JSON Docker Compose v2 marshals for compose-go's types.ServiceConfig. The expected strings
/// below were written field by field from compose-go commit e70e961c3a3acebf0800b882f1afb3dbf1fb74a2 (types/types.go,
/// bytes.go, duration.go, hostList.go, command.go, healthcheck.go; loader/normalize.go and transform/*.go for what the
/// loader fills in) and docker/compose f72979427042620a94dd52ce78b39c68cb02c085 pkg/compose/hash.go (ServiceHash clears
/// build, pull_policy, scale, deploy.replicas, depends_on, profiles). No Go toolchain is available here to print them.
/// </summary>
public sealed class ServiceHashingTests : IDisposable
{
    private readonly ComposeTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void MinimalService_IsCommandEntrypointImageAndTheImplicitDefaultNetwork()
    {
        var s = _dir.Text("services:\n  web:\n    image: nginx:1.25\n").Services["web"];
        // command and entrypoint have no omitempty (nil marshals as null); the loader attaches a nil "default" network.
        Assert.Equal("""{"command":null,"entrypoint":null,"image":"nginx:1.25","networks":{"default":null}}""", ServiceHashing.ConfigJson(s));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes("""{"command":null,"entrypoint":null,"image":"nginx:1.25","networks":{"default":null}}"""))),
            ServiceHashing.ConfigHash(s));
    }

    /// <summary>
    /// A published vector: docker/compose's own TestCreateMobyContainer (pkg/compose/convergence_test.go, added in
    /// bfb5511d0d6f8250b088d0251bc21c041516ddb8, still at f72979427042620a94dd52ce78b39c68cb02c085) creates service "test"
    /// with networks a (priority 10) and b (priority 100) and expects this config-hash label.
    /// </summary>
    [Fact]
    public void DockerComposeTestVector_TwoNetworksWithPriorities()
    {
        var s = new Berth.Compose.Model.ServiceConfig
        {
            Name = "test",
            Networks = new SortedDictionary<string, Berth.Compose.Model.ServiceNetworkConfig>(StringComparer.Ordinal)
            {
                ["a"] = new() { Priority = 10 },
                ["b"] = new() { Priority = 100 },
            },
        };
        Assert.Equal("""{"command":null,"entrypoint":null,"networks":{"a":{"priority":10},"b":{"priority":100}}}""", ServiceHashing.ConfigJson(s));
        Assert.Equal("8dbce408396f8986266bc5deba0c09cfebac63c95c2238e405c7bee5f1bd84b8", ServiceHashing.ConfigHash(s));
    }

    [Fact]
    public void RichService_FollowsGoFieldOrderOmitemptyAndCustomMarshalers()
    {
        var p = _dir.Text("""
            services:
              api:
                image: "example/api:1.0"
                build: ./api
                command: ["sh", "-c", "echo <a> & b"]
                environment:
                  B: "2"
                  A: "1"
                  EMPTY:
                ports: ["127.0.0.1:8080:80", "9090"]
                volumes:
                  - data:/var/lib/data/
                  - ./conf:/etc/conf:ro
                healthcheck:
                  test: curl -f http://localhost
                  interval: 1m30s
                  timeout: 500ms
                  retries: 3
                stop_grace_period: 1h
                deploy:
                  replicas: 2
                  resources:
                    limits: {cpus: "0.5", memory: 512M}
                ulimits:
                  nofile: {soft: 1024, hard: 2048}
                  nproc: 65535
                extra_hosts: ["somehost:162.242.195.82", "another=10.0.0.1"]
                secrets: [token]
                labels: {z: last, a: first}
                depends_on: [db]
                pull_policy: always
                profiles: [debug]
                networks:
                  back:
                    aliases: [api-back]
                  front:
              db:
                image: busybox
            volumes: {data: {}}
            secrets: {token: {file: ./token.txt}}
            networks: {front: {}, back: {}}
            """, new Dictionary<string, string> { ["COMPOSE_PROFILES"] = "debug" });
        var expected = Flat("""
            {"command":["sh","-c","echo \u003ca\u003e \u0026 b"],
            "deploy":{"resources":{"limits":{"cpus":0.5,"memory":"536870912"}},"placement":{}},
            "entrypoint":null,
            "environment":{"A":"1","B":"2","EMPTY":null},
            "extra_hosts":["another=10.0.0.1","somehost=162.242.195.82"],
            "healthcheck":{"test":["CMD-SHELL","curl -f http://localhost"],"timeout":"500ms","interval":"1m30s","retries":3},
            "image":"example/api:1.0",
            "labels":{"a":"first","z":"last"},
            "networks":{"back":{"aliases":["api-back"]},"front":null},
            "ports":[{"mode":"ingress","host_ip":"127.0.0.1","target":80,"published":"8080","protocol":"tcp"},{"mode":"ingress","target":9090,"protocol":"tcp"}],
            "secrets":[{"source":"token","target":"/run/secrets/token"}],
            "stop_grace_period":"1h0m0s",
            "ulimits":{"nofile":{"soft":1024,"hard":2048},"nproc":65535},
            "volumes":[{"type":"volume","source":"data","target":"/var/lib/data","volume":{}},
            {"type":"bind","source":"ROOT/conf","target":"/etc/conf","read_only":true,"bind":{}}]}
            """).Replace("ROOT", _dir.Root, StringComparison.Ordinal);
        Assert.Equal(expected, ServiceHashing.ConfigJson(p.Services["api"]));
    }

    [Fact]
    public void ModesDevicesTmpfsAndLongVolumes_MarshalAsComposeGoTypesDo()
    {
        var p = _dir.Text("""
            services:
              w:
                image: busybox
                network_mode: host
                entrypoint: []
                init: false
                mem_limit: 1g
                configs:
                  - source: app
                    target: /etc/app.conf
                    mode: 0440
                devices: ["/dev/fuse"]
                tmpfs: /run
                stop_signal: SIGINT
                working_dir: /srv
                user: "1000:1000"
                cap_add: [NET_ADMIN]
                sysctls: {net.core.somaxconn: 1024}
                volumes:
                  - type: tmpfs
                    target: /cache
                    tmpfs: {size: 1048576}
                  - type: bind
                    source: /tmp
                    target: /host-tmp
                    bind: {create_host_path: false}
                  - type: bind
                    source: /srv
                    target: /srv
                    bind: {propagation: rshared}
            configs: {app: {content: x}}
            """);
        var expected = Flat("""
            {"cap_add":["NET_ADMIN"],"command":null,
            "configs":[{"source":"app","target":"/etc/app.conf","mode":"0440"}],
            "devices":[{"source":"/dev/fuse","target":"/dev/fuse","permissions":"rwm"}],
            "entrypoint":[],"image":"busybox","init":false,"mem_limit":"1073741824","network_mode":"host","stop_signal":"SIGINT",
            "sysctls":{"net.core.somaxconn":"1024"},"tmpfs":["/run"],"user":"1000:1000",
            "volumes":[{"type":"tmpfs","target":"/cache","tmpfs":{"size":"1048576"}},
            {"type":"bind","source":"/tmp","target":"/host-tmp","bind":{"create_host_path":false}},
            {"type":"bind","source":"/srv","target":"/srv","bind":{"propagation":"rshared"}}],
            "working_dir":"/srv"}
            """);
        Assert.Equal(expected, ServiceHashing.ConfigJson(p.Services["w"]));
    }

    [Fact]
    public void WhatDockerComposeClearsBeforeHashing_DoesNotChangeTheHash()
    {
        var a = _dir.Text("services:\n  s:\n    image: x\n").Services["s"];
        var b = _dir.Text("services:\n  s:\n    image: x\n    build: .\n    scale: 3\n    pull_policy: always\n    profiles: [p]\n    depends_on: [t]\n  t:\n    image: y\n",
            new Dictionary<string, string> { ["COMPOSE_PROFILES"] = "p" }).Services["s"];
        Assert.Equal(ServiceHashing.ConfigHash(a), ServiceHashing.ConfigHash(b));
    }

    /// <summary>The expected documents are written one field group per line for review; Go's output has no whitespace.</summary>
    private static string Flat(string lines) => lines.Replace("\n", "", StringComparison.Ordinal);

    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(90_000_000_000L, "1m30s")]
    [InlineData(1_500_000_000L, "1.5s")]
    [InlineData(7_200_000_000_000L, "2h0m0s")]
    [InlineData(250_000_000L, "250ms")]
    [InlineData(1_500L, "1.5\u00b5s")]
    [InlineData(100L, "100ns")]
    [InlineData(3_723_100_000_000L, "1h2m3.1s")]
    public void Durations_AreGoDurationStrings(long nanoseconds, string expected) =>
        Assert.Equal(expected, GoFormat.Duration(TimeSpan.FromTicks(nanoseconds / 100)));

    [Theory]
    [InlineData(0.5f, "0.5")]
    [InlineData(1.5f, "1.5")]
    [InlineData(0.1f, "0.1")]
    [InlineData(2f, "2")]
    [InlineData(100f, "100")]
    [InlineData(0.000001f, "0.000001")]
    [InlineData(1e-7f, "1e-7")]
    [InlineData(1e21f, "1e+21")]
    [InlineData(-0.25f, "-0.25")]
    public void Float32_IsFormattedAsEncodingJsonDoes(float value, string expected) => Assert.Equal(expected, GoFormat.Float32(value));

    [Fact]
    public void Strings_AreEscapedWithGoRules_AndMapKeysSortedByUtf8Bytes()
    {
        var w = new GoJsonWriter();
        w.BeginObject();
        w.OptStringMap("m", new Dictionary<string, string> { ["\uff5e"] = "a", ["\U0001F600"] = "b", ["b"] = "\"\\\b\f\n\r\t\u0001\u007f<>&\u2028\u2029é" });
        w.EndObject();
        // U+FF5E sorts before U+1F600 in UTF-8 (EF BD BE < F0 9F 98 80) though not in UTF-16 (FF5E > D83D).
        Assert.Equal("{\"m\":{\"b\":\"\\\"\\\\\\b\\f\\n\\r\\t\\u0001\u007f\\u003c\\u003e\\u0026\\u2028\\u2029é\",\"\uff5e\":\"a\",\"\U0001F600\":\"b\"}}", w.ToString());
    }

    [Theory]
    [InlineData("/var/lib/data/", "/var/lib/data")]
    [InlineData("/a/./b/../c", "/a/c")]
    [InlineData("/..", "/")]
    [InlineData("//x//", "/x")]
    public void VolumeTargets_AreCleanedAsGoPathClean(string path, string expected) => Assert.Equal(expected, GoPath.Clean(path));
}

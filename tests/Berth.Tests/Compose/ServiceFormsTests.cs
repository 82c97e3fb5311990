using Berth.Compose;
using Berth.Compose.Model;

namespace Berth.Tests.Compose;

public sealed class ServiceFormsTests : IDisposable
{
    private readonly ComposeTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private ServiceConfig Service(string body, Dictionary<string, string>? env = null)
        => _dir.Text("services:\n  s:\n" + string.Join('\n', body.Split('\n').Select(l => "    " + l)) + "\n", env).Services["s"];

    [Fact]
    public void Build_ShortString_ResolvesContextAndDefaultsDockerfile()
    {
        var s = Service("build: ./app");
        Assert.Equal(Path.Join(_dir.Root, "app"), s.Build!.Context);
        Assert.Equal("Dockerfile", s.Build.Dockerfile);
    }

    [Fact]
    public void Build_LongForm_ReadsEveryKey()
    {
        var s = Service("build:\n  context: ctx\n  dockerfile: Dockerfile.dev\n  args:\n    - A=1\n    - B\n  target: prod\n  labels:\n    l: v\n  cache_from: [a:1, b:2]", new() { ["B"] = "fromenv" });
        var b = s.Build!;
        Assert.Equal(Path.Join(_dir.Root, "ctx"), b.Context);
        Assert.Equal("Dockerfile.dev", b.Dockerfile);
        Assert.Equal("1", b.Args["A"]);
        Assert.Equal("fromenv", b.Args["B"]);
        Assert.Equal("prod", b.Target);
        Assert.Equal("v", b.Labels["l"]);
        Assert.Equal(["a:1", "b:2"], b.CacheFrom);
    }

    [Theory]
    [InlineData("command: echo hello world", new[] { "echo", "hello", "world" })]
    [InlineData("command: sh -c 'echo \"a b\" && ls'", new[] { "sh", "-c", "echo \"a b\" && ls" })]
    [InlineData("command: [\"echo\", \"a b\"]", new[] { "echo", "a b" })]
    [InlineData("command: a\\ b \"c d\"", new[] { "a b", "c d" })]
    public void Command_StringIsShellSplit_ListIsKept(string yaml, string[] expected)
        => Assert.Equal(expected, Service("image: x\n" + yaml).Command);

    [Fact]
    public void Entrypoint_EmptyList_IsExplicitlyEmpty()
    {
        var s = Service("image: x\nentrypoint: []");
        Assert.NotNull(s.Entrypoint);
        Assert.Empty(s.Entrypoint!);
        Assert.Null(s.Command);
    }

    [Fact]
    public void Environment_MapAndList_BareKeyResolvesFromEnvironment()
    {
        var s = Service("image: x\nenvironment:\n  - A=1\n  - B\n  - C\n  - D=", new() { ["B"] = "b-env" });
        Assert.Equal("1", s.Environment["A"]);
        Assert.Equal("b-env", s.Environment["B"]);
        Assert.Null(s.Environment["C"]);
        Assert.Equal("", s.Environment["D"]);
        var m = Service("image: x\nenvironment:\n  N: 5\n  T: true\n  E:");
        Assert.Equal("5", m.Environment["N"]);
        Assert.Equal("true", m.Environment["T"]);
        Assert.Null(m.Environment["E"]);
    }

    [Fact]
    public void EnvFile_EnvironmentBeatsEnvFile_AndOptionalMissingFileIsSkipped()
    {
        _dir.Write("a.env", "# comment\nA=from-file\nB=\"quoted # not comment\"\nC=unquoted # comment\nexport D='single $X'\nE=${X}-expanded\n");
        var s = Service("image: x\nenv_file:\n  - a.env\n  - path: missing.env\n    required: false\nenvironment:\n  A: from-environment", new() { ["X"] = "x" });
        Assert.Equal("from-environment", s.Environment["A"]);
        Assert.Equal("quoted # not comment", s.Environment["B"]);
        Assert.Equal("unquoted", s.Environment["C"]);
        Assert.Equal("single $X", s.Environment["D"]);
        Assert.Equal("x-expanded", s.Environment["E"]);
        Assert.Equal(Path.Join(_dir.Root, "a.env"), s.EnvFiles[0].Path);
        Assert.False(s.EnvFiles[1].Required);
    }

    [Fact]
    public void EnvFile_RequiredMissing_Throws()
    {
        var ex = Assert.Throws<ComposeException>(() => Service("image: x\nenv_file: nope.env"));
        Assert.Contains("env file", ex.Message);
        Assert.Contains("nope.env not found", ex.Message);
    }

    [Fact]
    public void Ports_ShortLongAndRanges()
    {
        var s = Service("image: x\nports:\n  - 80\n  - \"8080:80\"\n  - \"127.0.0.1:8081:81/udp\"\n  - \"8000-8001:90-91\"\n  - \"[::1]:7000:70\"\n  - \"127.0.0.1::72\"\n  - target: 443\n    published: \"8443\"\n    host_ip: 0.0.0.0\n    protocol: tcp\n    mode: host");
        var p = s.Ports;
        Assert.Equal(8, p.Count);
        Assert.Equal(new PortConfig { Target = 80 }, p[0]);
        Assert.Equal(new PortConfig { Target = 80, Published = "8080" }, p[1]);
        Assert.Equal(new PortConfig { Target = 81, Published = "8081", HostIp = "127.0.0.1", Protocol = "udp" }, p[2]);
        Assert.Equal(new PortConfig { Target = 90, Published = "8000" }, p[3]);
        Assert.Equal(new PortConfig { Target = 91, Published = "8001" }, p[4]);
        Assert.Equal(new PortConfig { Target = 70, Published = "7000", HostIp = "::1" }, p[5]);
        Assert.Equal(new PortConfig { Target = 72, HostIp = "127.0.0.1" }, p[6]);
        Assert.Equal(new PortConfig { Target = 443, Published = "8443", HostIp = "0.0.0.0", Mode = "host" }, p[7]);
    }

    [Fact]
    public void Ports_HostRangeForOneTarget_KeepsRange()
        => Assert.Equal("9000-9010", Service("image: x\nports: [\"9000-9010:80\"]").Ports[0].Published);

    [Fact]
    public void Expose_Tmpfs_Lists()
    {
        var s = Service("image: x\nexpose: [80, \"90-91\"]\ntmpfs: /run");
        Assert.Equal(["80", "90-91"], s.Expose);
        Assert.Equal(["/run"], s.Tmpfs);
    }

    [Fact]
    public void Volumes_ShortAndLongForms()
    {
        var s = _dir.Text("services:\n  s:\n    image: x\n    volumes:\n      - data:/data:ro\n      - ./dir:/dir\n      - /abs:/abs:rw,z\n      - /anon\n      - ~/cfg:/cfg\n      - type: tmpfs\n        target: /tmp\n        tmpfs:\n          size: 64m\n          mode: 1777\n      - type: volume\n        source: data\n        target: /data2\n        volume:\n          nocopy: true\n      - type: bind\n        source: ./src\n        target: /src\n        read_only: true\n        bind:\n          propagation: rshared\nvolumes:\n  data:\n").Services["s"];
        var v = s.Volumes;
        Assert.Equal(("volume", "data", "/data", true), (v[0].Type, v[0].Source, v[0].Target, v[0].ReadOnly));
        Assert.Equal(("bind", Path.Join(_dir.Root, "dir"), "/dir"), (v[1].Type, v[1].Source, v[1].Target));
        Assert.True(v[1].Bind!.CreateHostPath);
        Assert.Equal(("bind", "/abs", false, "z"), (v[2].Type, v[2].Source, v[2].ReadOnly, v[2].Bind!.SELinux));
        Assert.Equal(("volume", (string?)null, "/anon"), (v[3].Type, v[3].Source, v[3].Target));
        Assert.Equal("/home/tester/cfg", v[4].Source);
        Assert.Equal(("tmpfs", 64L * 1024 * 1024, 1777), (v[5].Type, v[5].Tmpfs!.Size!.Value, v[5].Tmpfs!.Mode!.Value));
        Assert.True(v[6].Volume!.NoCopy);
        Assert.Equal((Path.Join(_dir.Root, "src"), true, "rshared"), (v[7].Source, v[7].ReadOnly, v[7].Bind!.Propagation));
    }

    [Fact]
    public void Networks_ListMapAndNetworkMode()
    {
        var p = _dir.Text("services:\n  a:\n    image: x\n    networks: [front]\n  b:\n    image: x\n    networks:\n      back:\n        aliases: [db, database]\n        ipv4_address: 172.20.0.5\n  c:\n    image: x\n    network_mode: host\n  d:\n    image: x\nnetworks:\n  front:\n  back:\n    ipam:\n      config:\n        - subnet: 172.20.0.0/16\n          gateway: 172.20.0.1\n");
        Assert.Equal(["front"], p.Services["a"].Networks.Keys);
        Assert.Equal(["db", "database"], p.Services["b"].Networks["back"].Aliases);
        Assert.Equal("172.20.0.5", p.Services["b"].Networks["back"].Ipv4Address);
        Assert.Empty(p.Services["c"].Networks);
        Assert.Equal("host", p.Services["c"].NetworkMode);
        Assert.Equal(["default"], p.Services["d"].Networks.Keys);
        Assert.Equal($"{p.Name}_default", p.Networks["default"].Name);
        Assert.Equal("172.20.0.0/16", p.Networks["back"].Ipam!.Config[0].Subnet);
    }

    [Fact]
    public void DependsOn_ListAndMap()
    {
        var p = _dir.Text("services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: x\n    depends_on:\n      c:\n        condition: service_completed_successfully\n        restart: true\n  c:\n    image: x\n");
        Assert.Equal(new ServiceDependency(), p.Services["a"].DependsOn["b"]);
        var d = p.Services["b"].DependsOn["c"];
        Assert.Equal((ServiceDependency.ServiceCompletedSuccessfully, true, true), (d.Condition, d.Restart, d.Required));
    }

    [Fact]
    public void Healthcheck_StringListAndDurations()
    {
        var h = Service("image: x\nhealthcheck:\n  test: curl -f http://localhost\n  interval: 1m30s\n  timeout: 100ms\n  retries: 3\n  start_period: 5s\n  start_interval: 1s").Healthcheck!;
        Assert.Equal(["CMD-SHELL", "curl -f http://localhost"], h.Test);
        Assert.Equal(TimeSpan.FromSeconds(90), h.Interval);
        Assert.Equal(TimeSpan.FromMilliseconds(100), h.Timeout);
        Assert.Equal(3, h.Retries);
        Assert.Equal(TimeSpan.FromSeconds(5), h.StartPeriod);
        Assert.Equal(TimeSpan.FromSeconds(1), h.StartInterval);
        Assert.Equal(["NONE"], Service("image: x\nhealthcheck:\n  test: [\"NONE\"]").Healthcheck!.Test);
        Assert.True(Service("image: x\nhealthcheck:\n  disable: true").Healthcheck!.Disable);
    }

    [Fact]
    public void Runtime_Keys()
    {
        var s = Service(string.Join('\n',
            "image: x", "restart: on-failure:3", "deploy:", "  replicas: 2", "  resources:", "    limits:", "      cpus: '0.5'", "      memory: 512m",
            "labels: [a=1, b]", "container_name: c1", "hostname: h", "user: 1000:1000", "working_dir: /w", "read_only: true",
            "cap_add: [NET_ADMIN]", "cap_drop: [ALL]", "security_opt: [no-new-privileges:true]", "stop_signal: SIGINT",
            "stop_grace_period: 1m", "init: true", "logging:", "  driver: json-file", "  options:", "    max-size: 10m",
            "extra_hosts: [\"somehost:162.242.195.82\", \"other=10.0.0.1\"]", "dns: 8.8.8.8", "ulimits:", "  nproc: 65535",
            "  nofile:", "    soft: 20000", "    hard: 40000", "sysctls:", "  net.core.somaxconn: 1024", "pull_policy: always",
            "tty: true", "stdin_open: true", "shm_size: 1g"));
        Assert.Equal("on-failure:3", s.Restart);
        Assert.Equal(2, s.Deploy!.Replicas);
        Assert.Equal(2, s.EffectiveScale);
        Assert.Equal(0.5, s.Deploy.Limits!.Cpus);
        Assert.Equal(512L << 20, s.Deploy.Limits.Memory);
        Assert.Equal("1", s.Labels["a"]);
        Assert.Equal("", s.Labels["b"]);
        Assert.Equal(("c1", "h", "1000:1000", "/w", true), (s.ContainerName, s.Hostname, s.User, s.WorkingDir, s.ReadOnly));
        Assert.Equal(["NET_ADMIN"], s.CapAdd);
        Assert.Equal(["ALL"], s.CapDrop);
        Assert.Equal(["no-new-privileges:true"], s.SecurityOpt);
        Assert.Equal(("SIGINT", TimeSpan.FromMinutes(1), true), (s.StopSignal, s.StopGracePeriod!.Value, s.Init!.Value));
        Assert.Equal("json-file", s.Logging!.Driver);
        Assert.Equal("10m", s.Logging.Options["max-size"]);
        Assert.Equal(["somehost:162.242.195.82", "other:10.0.0.1"], s.ExtraHosts);
        Assert.Equal(["8.8.8.8"], s.Dns);
        Assert.Equal(new UlimitConfig(65535, 65535) { Single = true }, s.Ulimits["nproc"]);
        Assert.Equal(new UlimitConfig(20000, 40000), s.Ulimits["nofile"]);
        Assert.Equal("1024", s.Sysctls["net.core.somaxconn"]);
        Assert.Equal(("always", true, true), (s.PullPolicy, s.Tty, s.StdinOpen));
        Assert.Equal(1L << 30, s.ShmSize);
    }

    [Fact]
    public void ExtraHosts_MapForm()
        => Assert.Equal(["a:1.2.3.4", "b:::1"], Service("image: x\nextra_hosts:\n  a: 1.2.3.4\n  b: \"::1\"").ExtraHosts);

    [Fact]
    public void SecretsAndConfigs_ShortAndLong()
    {
        _dir.Write("s.txt", "secret");
        var p = _dir.Text("services:\n  s:\n    image: x\n    secrets:\n      - db_pw\n      - source: db_pw\n        target: /etc/pw\n        mode: 0440\n    configs: [cfg]\nsecrets:\n  db_pw:\n    file: ./s.txt\nconfigs:\n  cfg:\n    content: hello\n");
        var s = p.Services["s"];
        Assert.Equal("db_pw", s.Secrets[0].Source);
        Assert.Equal(("/etc/pw", 288), (s.Secrets[1].Target, s.Secrets[1].Mode!.Value));
        Assert.Equal("cfg", s.Configs[0].Source);
        Assert.Equal(Path.Join(_dir.Root, "s.txt"), p.Secrets["db_pw"].File);
        Assert.Equal("hello", p.Configs["cfg"].Content);
    }

    [Fact]
    public void TopLevel_NetworksVolumes_NamesAndExternal()
    {
        var p = _dir.Text("name: proj\nservices:\n  s:\n    image: x\n    networks: [a, b, c]\nnetworks:\n  a:\n    driver: bridge\n    internal: true\n    labels: [k=v]\n    driver_opts:\n      com.docker.network.bridge.name: br0\n  b:\n    external: true\n  c:\n    name: custom\nvolumes:\n  v1:\n  v2:\n    external: true\n    name: real\n  v3:\n    driver: local\n    driver_opts:\n      type: tmpfs\n    labels:\n      x: y\n");
        Assert.Equal(("proj_a", "bridge", true, "v"), (p.Networks["a"].Name, p.Networks["a"].Driver, p.Networks["a"].Internal, p.Networks["a"].Labels["k"]));
        Assert.Equal("br0", p.Networks["a"].DriverOpts["com.docker.network.bridge.name"]);
        Assert.Equal(("b", true), (p.Networks["b"].Name, p.Networks["b"].External));
        Assert.Equal("custom", p.Networks["c"].Name);
        Assert.Equal("proj_v1", p.Volumes["v1"].Name);
        Assert.Equal(("real", true), (p.Volumes["v2"].Name, p.Volumes["v2"].External));
        Assert.Equal(("local", "tmpfs", "y"), (p.Volumes["v3"].Driver, p.Volumes["v3"].DriverOpts["type"], p.Volumes["v3"].Labels["x"]));
    }

    [Fact]
    public void ExtensionKeys_AreIgnoredEverywhere_AndAnchorsMerge()
    {
        var p = _dir.Text("x-common: &common\n  image: base:1\n  restart: always\nservices:\n  s:\n    <<: *common\n    x-note: hi\n    restart: \"no\"\n    build:\n      context: .\n      x-foo: 1\nx-other: 2\n");
        var s = p.Services["s"];
        Assert.Equal(("base:1", "no"), (s.Image, s.Restart));
    }
}

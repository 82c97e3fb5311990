using System.Diagnostics;
using Berth.Api;
using Berth.Api.Http;
using Berth.Runtime;
using Berth.Services;
using Berth.Services.Build;
using Berth.Services.Containers;
using Berth.Services.Engine;
using Berth.Services.Events;
using Berth.Services.Exec;
using Berth.Services.Healthchecks;
using Berth.Services.Images;
using Berth.Services.Logs;
using Berth.Services.Volumes;
using Berth.Services.Networks;
using Berth.Storage;
using Berth.Storage.Volumes;

namespace Berth.Daemon;

/// <summary>The composition root: opens the stores, wires the services, recovers containers and serves the API.</summary>
internal sealed class DaemonHost : IAsyncDisposable
{
    private readonly HttpServer _server;
    private readonly MetadataStore _meta;
    private readonly ContainerRuntime _runtime;
    private readonly LogRotator _rotator;
    private readonly HealthMonitor _health;
    private readonly bool _debug;

    private DaemonHost(HttpServer server, MetadataStore meta, ContainerRuntime runtime, LogRotator rotator, HealthMonitor health, bool debug)
    {
        _server = server; _meta = meta; _runtime = runtime; _rotator = rotator; _health = health; _debug = debug;
    }

    public static async Task<DaemonHost> StartAsync(DaemonArguments args, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var debug = args.LogLevel == "debug";
        void Log(string m) => ConsoleLog.Instance.Write(m);
        // Listener settings first: a bad certificate or group must stop berthd before it touches state or the network.
        var listeners = args.Hosts.Select(h => DaemonListenAddress.Parse(h, args.TlsVerify, args.Tls)).ToList();
        var tls = listeners.Any(l => l.Tcp is not null) ? TlsServerOptions.CreateMutual(args.TlsCaCert, args.TlsCert, args.TlsKey) : null;
        var socketGroup = GroupId(args.Group);
        Directory.CreateDirectory(args.DataRoot);
        Directory.CreateDirectory(args.ExecRoot);
        var root = new DataRoot(args.DataRoot);
        var meta = new MetadataStore(Path.Combine(args.DataRoot, "metadata.db"));
        var content = new ContentStore(Path.Combine(args.DataRoot, "content"));
        content.CleanIngest();   // partial downloads and load scratch dirs of a daemon that was killed
        var layers = new LayerStore(root);
        var importer = new ImageImporter(meta, content, layers);
        var runtime = new ContainerRuntime(new RuntimeOptions(Path.Combine(args.ExecRoot, "runtime"), args.Runtime), ConsoleLog.Instance);
        await runtime.InitializeAsync(ct);

        Berth.Services.Logs.LogDrivers.Validate(args.LogDriver, args.LogOpts);
        var options = new DaemonOptions(args.DataRoot, args.ExecRoot, args.Runtime, LogDriver: args.LogDriver, LogOpts: args.LogOpts);
        var events = new EventHub();
        var images = new ImageService(meta, layers, importer, events);
        var containers = new ContainerService(meta, layers, root, runtime, images, events, options, log: Log);
        if (debug) containers.Trace = Log;   // phase timings of start, exit and remove
        var volumes = new VolumeService(meta, new LocalVolumeDriver(root.VolumesDir), events);
        containers.Volumes = volumes;
        var execs = new ExecService(containers, runtime, events);
        var system = new SystemService(options, containers, meta, EngineId(args.DataRoot));

        var networks = new NetworkService(meta, containers, events, new BridgeOptions(args.Bridge, args.Bip), log: Log);
        containers.Load();
        await networks.LoadAsync(ct);
        await containers.RecoverAsync(ct);
        containers.RestoreVolumeLeases();
        await BusyboxImageBuilder.EnsureAsync(importer, meta, ct: ct);

        var gate = new ContentGate();
        var registryOptions = new Berth.Distribution.RegistryOptions { InsecureRegistries = [.. args.InsecureRegistries] };
        var imageServices = new ImageServices(new ImageDistributionService(meta, content, layers, images, events, registryOptions, gate),
            new ImageArchiveService(meta, content, layers, images, events, gate), new ImageCommitService(meta, content, layers, images, containers, events, gate),
            new ImagePruneService(meta, content, images, containers, gate));
        StorageRecovery.Run(meta, layers, containers, imageServices.Prune, Log);   // what a kill -9 mid-pull or mid-build left unowned
        var committer = new ImageCommitter(meta, content, layers);
        var buildTemp = Path.Combine(args.DataRoot, "tmp");
        if (Directory.Exists(buildTemp)) Directory.Delete(buildTemp, recursive: true);   // scratch of builds cut short by a restart
        var build = new BuildService(new BuildBackend(images, containers, committer, layers, meta, events, buildTemp) { Distribution = imageServices.Distribution }, meta);
        var router = ApiRoutes.Build(system, events, containers, execs, images, volumes, networks, imageServices, build);
        var server = new HttpServer(router.DispatchAsync, debug ? Log : null);
        foreach (var address in listeners)
        {
            if (address.UnixPath is { } path)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                server.ListenUnix(path, (UnixFileMode)0b110_110_000, socketGroup);
            }
            else
            {
                server.ListenTcp(address.Tcp!, tls);
            }
        }
        await server.StartAsync(ct);
        var rotator = new LogRotator(containers, runtime, Log);
        rotator.Start();
        var health = new HealthMonitor(containers, runtime, events, Log);
        health.Start();
        Log($"API listening on {string.Join(", ", args.Hosts)} (ready in {clock.ElapsedMilliseconds} ms)");
        return new DaemonHost(server, meta, runtime, rotator, health, debug);
    }

    public void Log(string message) => ConsoleLog.Instance.Write(message);

    private static string EngineId(string dataRoot)
    {
        var path = Path.Combine(dataRoot, "engine-id");
        if (File.Exists(path)) return File.ReadAllText(path).Trim();
        var id = Guid.NewGuid().ToString();
        File.WriteAllText(path + ".tmp", id);
        File.Move(path + ".tmp", path, overwrite: true);
        return id;
    }

    // As dockerd: the default group may be missing (the socket then stays root's, still 0660); a group named with -G must exist.
    private static int? GroupId(string? group)
    {
        if (string.IsNullOrEmpty(group)) return null;
        if (File.Exists("/etc/group"))
        {
            foreach (var line in File.ReadLines("/etc/group"))
            {
                var f = line.Split(':');
                if (f.Length > 2 && f[0] == group && int.TryParse(f[2], out var gid)) return gid;
            }
        }
        if (int.TryParse(group, out var numeric) && numeric >= 0) return numeric;
        if (group == DaemonArguments.DefaultGroup) return null;
        throw new ArgumentException($"group {group} not found (-G): create it or leave -G out to keep the socket root-owned");
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _rotator.DisposeAsync();
        await _health.DisposeAsync();
        _runtime.Dispose();
        _meta.Dispose();
    }
}

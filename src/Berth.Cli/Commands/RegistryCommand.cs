using System.Net;
using Berth.Cli.Parsing;
using Berth.Registry;
using Berth.Registry.Storage;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth registry serve --addr 127.0.0.1:5000 --root DIR [--htpasswd FILE [--auth basic|token]] [--tls-cert PEM --tls-key PEM]
/// [--read-only]</c> runs a Distribution-spec registry (plus the v1 search endpoint) until interrupted, over TLS when given a certificate; <c>berth registry garbage-collect --root DIR [--dry-run] [--delete-untagged]</c>
/// removes unreferenced blobs (offline).
/// </summary>
internal static class RegistryCommand
{
    private static readonly OptionSpec[] Specs =
    [
        OptionSpec.Value("addr"), OptionSpec.Value("root"), OptionSpec.Value("htpasswd"), OptionSpec.Value("auth"), OptionSpec.Flag("read-only"),
        OptionSpec.Value("tls-cert"), OptionSpec.Value("tls-key"),
        OptionSpec.Flag("dry-run", 'd'), OptionSpec.Flag("delete-untagged", 'm'),
    ];

    public static async Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs);
        if (a.Positionals.Count != 1) throw new UsageException("\"registry\" requires a subcommand: serve or garbage-collect");
        var root = a.Value("root") ?? throw new UsageException("--root is required");
        switch (a.Positionals[0])
        {
            case "serve":
                return await ServeAsync(ctx, a, root, ct);
            case "garbage-collect" or "gc":
                var result = GarbageCollector.Collect(root, a.Flag("dry-run"), a.Flag("delete-untagged"));
                foreach (var d in result.Deleted) ctx.Out.WriteLine($"blob eligible for deletion: {d}");
                ctx.Out.WriteLine($"{result.Marked} blobs marked, {result.Deleted.Count} blobs {(a.Flag("dry-run") ? "eligible for deletion" : "deleted")}, {result.BytesFreed} bytes");
                return 0;
            default:
                throw new UsageException($"unknown registry subcommand: {a.Positionals[0]}");
        }
    }

    private static async Task<int> ServeAsync(CliContext ctx, ParsedArgs a, string root, CancellationToken ct)
    {
        var addr = a.Value("addr") ?? "127.0.0.1:5000";
        if (!IPEndPoint.TryParse(addr.StartsWith(':') ? "0.0.0.0" + addr : addr.Replace("localhost", "127.0.0.1", StringComparison.Ordinal), out var endpoint))
            throw new UsageException($"invalid --addr {addr}: want host:port");
        var mode = a.Value("auth") ?? "basic";
        if (mode is not ("basic" or "token")) throw new UsageException("--auth must be basic or token");
        var options = new RegistryServerOptions(Path.GetFullPath(root))
        {
            HtpasswdPath = a.Value("htpasswd") is { } h ? Path.GetFullPath(h) : null,
            TokenAuth = mode == "token",
            ReadOnly = a.Flag("read-only"),
        };
        var (cert, key) = (a.Value("tls-cert"), a.Value("tls-key"));
        if ((cert is null) != (key is null)) throw new UsageException("--tls-cert and --tls-key go together");
        System.Net.Security.SslServerAuthenticationOptions? tls;
        try
        {
            tls = cert is null ? null : Berth.Api.Http.TlsServerOptions.CreateServerOnly(Path.GetFullPath(cert), Path.GetFullPath(key!));
        }
        catch (ArgumentException e)
        {
            ctx.Err.WriteLine(e.Message);
            return 1;
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        await using var server = await RegistryServer.StartAsync(options, endpoint, m => ctx.Err.WriteLine(m), stop.Token, tls);
        ctx.Out.WriteLine($"listening on {server.EndPoint}{(tls is null ? "" : " (TLS)")}, storing in {options.Root}");
        await ctx.Out.FlushAsync(ct);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // SIGINT/SIGTERM: shut down cleanly.
        }
        return 0;
    }
}

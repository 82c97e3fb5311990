using System.Runtime.InteropServices;
using Berth.Api.Models.Containers;
using Berth.Cli.Parsing;
using Berth.Cli.Streams;
using Berth.Cli.Terminal;
using Berth.Client;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth run</c>, in docker's order (ENGINE-API-NOTES §4): create (pull on 404) → attach (hijacked, before start)
/// → wait (next-exit, or removed with --rm; headers first) → start → resize with a TTY → pump → exit with the wait's
/// status. Detached: create → wait → start → print the id.
/// </summary>
internal static class RunCommand
{
    public static async Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, ContainerOptions.Specs, stopAtFirstPositional: true);
        var tty = a.Flag("tty");
        var detach = a.Flag("detach");
        var interactive = a.Flag("interactive");
        var autoRemove = a.Flag("rm");
        if (tty && interactive && !detach && !TerminalInterop.IsTerminal(0))
        {
            ctx.Err.WriteLine("the input device is not a TTY");
            return 1;
        }
        var req = ContainerOptions.Build(a, ctx.Env, tty ? TtyResizer.CurrentSize() : null);
        var detachKeys = DetachKeys.Parse(a.Value("detach-keys"));

        string id;
        try
        {
            id = await ContainerCreator.CreateAsync(ctx, req, a.Value("name"), a.Value("platform"), a.Value("pull") ?? "missing", a.Flag("quiet"), ct);
            if (a.Value("cidfile") is { } cidfile) await File.WriteAllTextAsync(cidfile, id, ct);
        }
        catch (DockerApiException ex)
        {
            return ErrorExit.Print(ctx, "run", ex.Message);
        }

        HijackedConnection? conn = null;
        try
        {
            if (!detach)
            {
                conn = await ctx.Client.AttachContainerAsync(id, interactive, req.AttachStdout, req.AttachStderr, logs: false, null, ct);
            }
            Task<ContainerWaitResponse> wait;
            try
            {
                wait = await ctx.Client.WaitContainerAsync(id, autoRemove ? "removed" : "next-exit", ct);
            }
            catch (DockerApiException ex)
            {
                return ErrorExit.Print(ctx, "run", ex.Message);
            }
            try
            {
                await ctx.Client.StartContainerAsync(id, ct);
            }
            catch (DockerApiException ex)
            {
                if (autoRemove) await Task.WhenAny(wait, Task.Delay(TimeSpan.FromSeconds(10), ct));
                return ErrorExit.Print(ctx, "run", ex.Message);
            }
            if (detach)
            {
                ctx.Out.WriteLine(id);
                return 0;
            }
            return await ForegroundAsync(ctx, id, conn!, wait, tty, interactive, a.Value("sig-proxy") is not ("false" or "0"), detachKeys, ct);
        }
        finally
        {
            conn?.Dispose();
        }
    }

    private static async Task<int> ForegroundAsync(CliContext ctx, string id, HijackedConnection conn, Task<ContainerWaitResponse> wait,
        bool tty, bool interactive, bool sigProxy, byte[] detachKeys, CancellationToken ct)
    {
        using var raw = tty && interactive ? RawTerminal.Enter() : null;
        using var resizer = tty ? new TtyResizer((h, w, c) => ctx.Client.ResizeContainerAsync(id, h, w, c)) : null;
        if (resizer is not null) await resizer.InitialAsync(ct);
        using var signals = !tty && sigProxy ? new SignalProxy(sig => ctx.Client.KillContainerAsync(id, sig, CancellationToken.None)) : null;

        var detached = await AttachPump.RunAsync(ctx, conn, tty, interactive, detachKeys, ct);
        if (detached)
        {
            raw?.Dispose();
            ctx.Err.WriteLine("\r\nread escape sequence");
            return 0;
        }
        var result = await wait;
        if (result.Error?.Message is { Length: > 0 } msg)
        {
            ctx.Err.WriteLine("Error response from daemon: " + msg);
            return 125;
        }
        return (int)result.StatusCode;
    }
}

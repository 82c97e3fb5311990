using Berth.Cli.Parsing;
using Berth.Cli.Streams;
using Berth.Cli.Terminal;

namespace Berth.Cli.Commands;

/// <summary><c>berth attach</c>: wait (not-running) first, inspect (refuse stopped/paused), attach, pump, exit with
/// the container's code.</summary>
internal static class AttachCommand
{
    private static readonly OptionSpec[] Specs = [OptionSpec.Flag("no-stdin"), OptionSpec.Value("sig-proxy"), OptionSpec.Value("detach-keys")];

    public static async Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs);
        if (a.Positionals.Count != 1) throw new UsageException("\"attach\" requires exactly 1 argument.");
        var c = await ctx.Client.InspectContainerAsync(a.Positionals[0], ct);
        if (!c.State.Running)
        {
            ctx.Err.WriteLine("You cannot attach to a stopped container, start it first");
            return 1;
        }
        if (c.State.Paused)
        {
            ctx.Err.WriteLine("You cannot attach to a paused container, unpause it first");
            return 1;
        }
        var wait = await ctx.Client.WaitContainerAsync(c.Id, null, ct);
        var stdin = !a.Flag("no-stdin") && c.Config.OpenStdin;
        var tty = c.Config.Tty;
        using var conn = await ctx.Client.AttachContainerAsync(c.Id, stdin, true, true, logs: false, null, ct);
        using var raw = tty && stdin ? RawTerminal.Enter() : null;
        if (tty && TtyResizer.CurrentSize() is { } size)
        {
            // docker attach resizes to h+1,w+1 then h,w to force the application to redraw.
            await ctx.Client.ResizeContainerAsync(c.Id, size.Height + 1, size.Width + 1, ct);
            await ctx.Client.ResizeContainerAsync(c.Id, size.Height, size.Width, ct);
        }
        using var resizer = tty ? new TtyResizer((h, w, t) => ctx.Client.ResizeContainerAsync(c.Id, h, w, t)) : null;
        using var signals = !tty && a.Value("sig-proxy") is not ("false" or "0") ? new SignalProxy(sig => ctx.Client.KillContainerAsync(c.Id, sig, CancellationToken.None)) : null;
        if (await AttachPump.RunAsync(ctx, conn, tty, stdin, DetachKeys.Parse(a.Value("detach-keys")), ct))
        {
            raw?.Dispose();
            ctx.Err.WriteLine("\r\nread escape sequence");
            return 0;
        }
        return (int)(await wait).StatusCode;
    }
}

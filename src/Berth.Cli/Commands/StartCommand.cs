using Berth.Cli.Parsing;
using Berth.Cli.Streams;
using Berth.Cli.Terminal;
using Berth.Client;

namespace Berth.Cli.Commands;

/// <summary><c>berth start [-a [-i]]</c>; attached: inspect → attach → wait → start → resize → pump.</summary>
internal static class StartCommand
{
    private static readonly OptionSpec[] Specs = [OptionSpec.Flag("attach", 'a'), OptionSpec.Flag("interactive", 'i'), OptionSpec.Value("detach-keys")];

    public static async Task<int> RunAsync(CliContext ctx, string[] args, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs);
        if (!a.Flag("attach") && !a.Flag("interactive"))
        {
            return await MultiTarget.RunAsync(ctx, a.Positionals, n => ctx.Client.StartContainerAsync(n, ct), "failed to start containers");
        }
        if (a.Positionals.Count != 1) throw new UsageException("you cannot start and attach multiple containers at once");
        var name = a.Positionals[0];
        try
        {
            var c = await ctx.Client.InspectContainerAsync(name, ct);
            var tty = c.Config.Tty;
            var stdin = a.Flag("interactive") && c.Config.OpenStdin;
            using var conn = await ctx.Client.AttachContainerAsync(c.Id, stdin, true, true, logs: false, null, ct);
            var wait = await ctx.Client.WaitContainerAsync(c.Id, c.HostConfig.AutoRemove ? "removed" : "next-exit", ct);
            try
            {
                await ctx.Client.StartContainerAsync(c.Id, ct);
            }
            catch (DockerApiException ex)
            {
                ctx.Err.WriteLine("Error response from daemon: " + ex.Message);
                return ErrorExit.For(ex.Message);
            }
            using var raw = tty && stdin ? RawTerminal.Enter() : null;
            using var resizer = tty ? new TtyResizer((h, w, t) => ctx.Client.ResizeContainerAsync(c.Id, h, w, t)) : null;
            if (resizer is not null) await resizer.InitialAsync(ct);
            using var signals = !tty ? new SignalProxy(sig => ctx.Client.KillContainerAsync(c.Id, sig, CancellationToken.None)) : null;
            if (await AttachPump.RunAsync(ctx, conn, tty, stdin, DetachKeys.Parse(a.Value("detach-keys")), ct)) return 0;
            return (int)(await wait).StatusCode;
        }
        catch (DockerApiException ex)
        {
            ctx.Err.WriteLine("Error response from daemon: " + ex.Message);
            return 1;
        }
    }
}

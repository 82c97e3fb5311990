using System.Globalization;
using System.Net;
using Berth.Api.Models.Containers;
using Berth.Cli.Parsing;
using Berth.Client;
using Berth.Compose;
using Berth.Compose.Engine;
using Berth.Compose.Model;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// <c>compose up</c> and <c>compose create</c>. Attached <c>up</c> then follows every started container's logs, prefixed per
/// service, until they all exit, or the first one with --abort-on-container-exit / --exit-code-from (stopping the rest).
/// Ctrl-C stops the project gracefully, a second Ctrl-C kills it (<see cref="UpInterrupts"/>).
/// </summary>
internal static class ComposeUpCommand
{
    private static readonly OptionSpec[] Specs =
    [
        OptionSpec.Flag("detach", 'd'), OptionSpec.Flag("build"), OptionSpec.Flag("no-build"), OptionSpec.Flag("wait"), OptionSpec.Value("wait-timeout"),
        OptionSpec.Value("scale"), OptionSpec.Flag("abort-on-container-exit"), OptionSpec.Flag("abort-on-container-failure"), OptionSpec.Value("exit-code-from"),
        OptionSpec.Flag("remove-orphans"), OptionSpec.Flag("force-recreate"), OptionSpec.Flag("no-recreate"), OptionSpec.Flag("no-deps"), OptionSpec.Flag("no-start"),
        OptionSpec.Value("pull"), OptionSpec.Value("timeout", 't'), OptionSpec.Flag("quiet-pull"), OptionSpec.Flag("no-color"), OptionSpec.Flag("no-log-prefix"),
        OptionSpec.Value("attach"), OptionSpec.Value("no-attach"), OptionSpec.Flag("renew-anon-volumes", 'V'), OptionSpec.Flag("always-recreate-deps"),
        OptionSpec.Flag("yes", 'y'), OptionSpec.Flag("menu"), OptionSpec.Flag("watch", 'w'), OptionSpec.Flag("timestamps"), OptionSpec.Flag("no-attach-deps"),
    ];

    public static Task<int> UpAsync(ComposeInvocation inv, string[] args, CancellationToken ct) => RunAsync(inv, args, start: true, ct);

    public static Task<int> CreateAsync(ComposeInvocation inv, string[] args, CancellationToken ct) => RunAsync(inv, args, start: false, ct);

    private static async Task<int> RunAsync(ComposeInvocation inv, string[] args, bool start, CancellationToken ct)
    {
        var a = ArgParser.Parse(args, Specs);
        var exitCodeFrom = a.Value("exit-code-from");
        var abort = a.Flag("abort-on-container-exit") || exitCodeFrom is not null;
        if (a.Flag("detach") && abort) throw new ComposeException("--abort-on-container-exit and --detach are incompatible");
        if (a.Flag("build") && a.Flag("no-build")) throw new ComposeException("--build and --no-build are incompatible");
        if (a.Flag("force-recreate") && a.Flag("no-recreate")) throw new ComposeException("--force-recreate and --no-recreate are incompatible");
        var project = await inv.LoadAsync(a.Positionals, ct);
        var options = new UpOptions
        {
            Services = a.Positionals,
            Scale = ParseScale(a.Values("scale")),
            Build = a.Flag("build"),
            NoBuild = a.Flag("no-build"),
            ForceRecreate = a.Flag("force-recreate"),
            NoRecreate = a.Flag("no-recreate"),
            NoDeps = a.Flag("no-deps"),
            RemoveOrphans = a.Flag("remove-orphans") || IsTrue(inv.Ctx.Env("COMPOSE_REMOVE_ORPHANS")),
            Start = start && !a.Flag("no-start"),
            Wait = a.Flag("wait"),
            WaitTimeout = a.Int("wait-timeout") is { } wt ? TimeSpan.FromSeconds(wt) : null,
            Pull = a.Value("pull"),
        };
        if (exitCodeFrom is not null && !project.Services.ContainsKey(exitCodeFrom)) throw new ComposeException($"no such service: {exitCodeFrom}");
        var engine = inv.Engine();
        await engine.UpAsync(project, options, ct);
        if (!options.Start || a.Flag("detach") || a.Flag("wait")) return 0;
        return await AttachAsync(inv, engine, project, options, abort, exitCodeFrom, a, ct);
    }

    /// <summary>Follows logs of the selected services until every container exits (or one does, with abort).</summary>
    private static async Task<int> AttachAsync(ComposeInvocation inv, ComposeEngine engine, ComposeProject project, UpOptions options, bool abort,
        string? exitCodeFrom, ParsedArgs a, CancellationToken ct)
    {
        var attachTo = a.Values("attach").Count > 0 ? a.Values("attach").ToHashSet(StringComparer.Ordinal)
            : options.Services.Count > 0 ? options.Services.ToHashSet(StringComparer.Ordinal) : null;
        var skip = a.Values("no-attach").ToHashSet(StringComparer.Ordinal);
        var containers = (await engine.ContainersAsync(project.Name, null, all: true, oneOff: false, ct))
            .Where(c => project.Services.ContainsKey(ProjectQueries.ServiceOf(c)))
            .ToList();
        var printer = new ComposeLogPrinter(inv.Ctx.Out, inv.StdoutIsTerminal && !a.Flag("no-color"), !a.Flag("no-log-prefix"));
        var shown = containers.Where(c => (attachTo is null || attachTo.Contains(ProjectQueries.ServiceOf(c))) && !skip.Contains(ProjectQueries.ServiceOf(c))).ToList();
        printer.Register(shown.Select(c => ComposeLogPrinter.ShortName(project.Name, c)));
        inv.Ctx.Out.WriteLine($"Attaching to {string.Join(", ", shown.Select(c => ComposeLogPrinter.ShortName(project.Name, c)))}");
        inv.Ctx.Out.Flush();

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // Ctrl-C: stop the project gracefully (a second one kills it) while the logs keep flowing until the containers end.
        using var interrupts = new UpInterrupts(
            async () =>
            {
                printer.Line("", "Gracefully stopping... (press Ctrl+C again to force)");
                await engine.StopAsync(project, options.Services, null, CancellationToken.None);
            },
            () => KillAllAsync(inv, engine, project, options.Services));
        var logs = shown.Select(c => printer.StreamAsync(inv.Ctx.Client, c, ProjectQueries.ServiceOf(c), ComposeLogPrinter.ShortName(project.Name, c), true, null, false, stop.Token)).ToList();
        var exitCode = 0;
        var waits = new List<Task<(ContainerSummary C, long Code)>>();
        foreach (var c in containers)
        {
            var wait = await inv.Ctx.Client.WaitContainerAsync(c.Id, "not-running", stop.Token);
            waits.Add(Wait(c, wait));
        }
        static async Task<(ContainerSummary, long)> Wait(ContainerSummary c, Task<ContainerWaitResponse> w) => (c, (await w).StatusCode);

        var pending = waits.ToList();
        while (pending.Count > 0)
        {
            Task<(ContainerSummary C, long Code)> done;
            try
            {
                done = await Task.WhenAny(pending);
                pending.Remove(done);
                var (c, code) = await done;
                var service = ProjectQueries.ServiceOf(c);
                // Let the last lines of the exited container's log arrive before its exit line.
                await Task.Delay(100, CancellationToken.None);
                printer.Line("", $"{ComposeLogPrinter.ShortName(project.Name, c)} exited with code {code}");
                if (exitCodeFrom == service || (exitCodeFrom is null && abort)) exitCode = (int)code;
                if (abort && !interrupts.Interrupted)
                {
                    printer.Line("", "Aborting on container exit...");
                    break;
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        if (interrupts.Interrupted)
        {
            await interrupts.WhenDoneAsync();
            await stop.CancelAsync();
            await Task.WhenAll(logs);
            // As docker compose: an interrupted up ends with 130 (128 + SIGINT).
            return 130;
        }
        if (abort)
        {
            await engine.StopAsync(project, [], null, CancellationToken.None);
            if (exitCodeFrom is not null)
            {
                var from = containers.FirstOrDefault(c => ProjectQueries.ServiceOf(c) == exitCodeFrom);
                if (from is not null) exitCode = (await inv.Ctx.Client.InspectContainerAsync(from.Id, CancellationToken.None)).State.ExitCode;
            }
        }
        await stop.CancelAsync();
        await Task.WhenAll(logs);
        return exitCode;
    }

    /// <summary>The second Ctrl-C: SIGKILL every running container at once; one that stopped or went meanwhile is fine.</summary>
    private static async Task KillAllAsync(ComposeInvocation inv, ComposeEngine engine, ComposeProject project, IReadOnlyList<string> services)
    {
        var running = await engine.ContainersAsync(project.Name, services, all: false, oneOff: false, CancellationToken.None);
        await Task.WhenAll(running.Select(async c =>
        {
            try
            {
                await inv.Ctx.Client.KillContainerAsync(c.Id, null, CancellationToken.None);
            }
            catch (DockerApiException ex) when (ex.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound)
            {
                // Already stopped by the graceful stop, or removed: nothing left to kill.
            }
        }));
    }

    /// <summary>--scale SERVICE=NUM, repeatable (and what <c>compose scale</c> takes).</summary>
    public static Dictionary<string, int> ParseScale(IEnumerable<string> values)
    {
        var scale = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var v in values)
        {
            var eq = v.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !int.TryParse(v[(eq + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                throw new ComposeException($"invalid scale specifier: {v}");
            scale[v[..eq]] = n;
        }
        return scale;
    }

    private static bool IsTrue(string? v) => v is "1" or "true" or "True" or "TRUE";
}

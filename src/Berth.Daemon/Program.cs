using System.Runtime.InteropServices;
using Berth.Daemon;

try
{
    var arguments = DaemonArguments.Parse(args);
    await using var daemon = await DaemonHost.StartAsync(arguments, CancellationToken.None);
    var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; stopped.TrySetResult(); });
    using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx => { ctx.Cancel = true; stopped.TrySetResult(); });
    await stopped.Task;
    daemon.Log("shutting down (containers keep running)");
    return 0;
}
catch (HelpRequestedException)
{
    Console.WriteLine(DaemonArguments.Usage);
    return 0;
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"berthd: {ex.Message}");
    Console.Error.WriteLine("See 'berthd --help'.");
    return 125;
}

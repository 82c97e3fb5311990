using Berth.Runtime;

namespace Berth.Daemon;

/// <summary>berthd's log: timestamped lines on stderr (the service manager or the caller redirects them).</summary>
internal sealed class ConsoleLog : ILogSink
{
    public static readonly ConsoleLog Instance = new();

    public void Write(string message) => Console.Error.WriteLine($"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} berthd: {message}");
}

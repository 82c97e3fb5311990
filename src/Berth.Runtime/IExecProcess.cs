namespace Berth.Runtime;

/// <summary>A process started in a running container. With a tty, Stdout carries the terminal and Stderr is null.</summary>
public interface IExecProcess : IAsyncDisposable
{
    int Pid { get; }

    Stream? Stdin { get; }

    Stream Stdout { get; }

    Stream? Stderr { get; }

    Task<int> ExitCode { get; }

    Task ResizeAsync(int h, int w, CancellationToken ct);
}

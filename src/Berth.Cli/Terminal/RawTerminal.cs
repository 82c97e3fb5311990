namespace Berth.Cli.Terminal;

/// <summary>Raw mode on the local stdin for the lifetime of a <c>-t</c> session; restored on dispose (also on Ctrl-C
/// paths, since callers use <c>using</c>).</summary>
internal sealed class RawTerminal : IDisposable
{
    private readonly byte[]? _saved;

    private RawTerminal(byte[]? saved) => _saved = saved;

    public static RawTerminal Enter() => new(TerminalInterop.IsTerminal(0) ? TerminalInterop.MakeRaw(0) : null);

    public bool IsRaw => _saved is not null;

    public void Dispose()
    {
        if (_saved is not null) TerminalInterop.Restore(0, _saved);
    }
}

namespace Berth.Builder.Execution;

/// <summary>
/// Keeps the progress of stages that run in parallel readable: the earliest unfinished stage streams live, later ones are
/// buffered and flushed, whole and in Dockerfile order, as soon as every stage before them is done. The log reads exactly
/// as a sequential build's.
/// </summary>
internal sealed class OrderedOutput(IBuildOutput text, IBuildOutput aux, int count)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<(bool Aux, string Text)>[] _pending = Enumerable.Range(0, count).Select(_ => new List<(bool, string)>()).ToArray();
    private readonly bool[] _done = new bool[count];
    private int _current;

    /// <summary>The output for the <paramref name="slot"/>-th stage to run (in Dockerfile order); aux (image id) messages go to <c>aux</c>.</summary>
    public IBuildOutput For(int slot) => new Slot(this, slot);

    /// <summary>The stage finished: once it is the live one, the next stages' buffered output follows.</summary>
    public async Task CompleteAsync(int slot, CancellationToken ct)
    {
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            _done[slot] = true;
            while (_current < count && _done[_current])
            {
                _current++;
                if (_current < count) await FlushAsync(_current, ct);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A stage failed: print everything buffered up to it, so its error follows its own steps.</summary>
    public async Task FlushUpToAsync(int slot, CancellationToken ct)
    {
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            for (var i = _current; i <= slot && i < count; i++) await FlushAsync(i, ct);
            _current = Math.Max(_current, slot);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task FlushAsync(int slot, CancellationToken ct)
    {
        foreach (var (isAux, message) in _pending[slot]) await SendAsync(isAux, message, ct);
        _pending[slot].Clear();
    }

    private Task SendAsync(bool isAux, string message, CancellationToken ct) => isAux ? aux.AuxAsync(message, ct) : text.WriteAsync(message, ct);

    private async Task WriteAsync(int slot, bool isAux, string message, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (slot != _current)
            {
                _pending[slot].Add((isAux, message));
                return;
            }
            await SendAsync(isAux, message, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private sealed class Slot(OrderedOutput owner, int slot) : IBuildOutput
    {
        public Task WriteAsync(string message, CancellationToken ct) => owner.WriteAsync(slot, false, message, ct);

        public Task AuxAsync(string imageId, CancellationToken ct) => owner.WriteAsync(slot, true, imageId, ct);
    }
}

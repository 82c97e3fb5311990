namespace Berth.Storage.Content;

/// <summary>
/// A file being written by one writer (a download into the ingest dir) that a reader follows as it grows, so a layer is unpacked
/// while it downloads without holding the download back: the writer never waits for the reader, and a slow reader reads what is
/// already written from the page cache. The writer reports progress with <see cref="Advance"/> and ends with
/// <see cref="Complete"/> or <see cref="Fail"/>; a writer that must rewrite bytes already reported calls <see cref="Abandon"/>,
/// and the reader then fails with <see cref="AbandonedException"/> (its consumer starts over from the finished file).
/// </summary>
public sealed class GrowingFile
{
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource<string> _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _length;
    private bool _complete;
    private Exception? _failure;

    public sealed class AbandonedException() : Exception("the download restarted from the beginning");

    /// <summary>True once the writer finished (successfully or not).</summary>
    public bool Ended
    {
        get
        {
            lock (_lock) return _complete || _failure is not null;
        }
    }

    /// <summary>The writer created the file at <paramref name="path"/> (opened for sharing): readers may open it.</summary>
    public void Created(string path) => _opened.TrySetResult(path);

    public void Advance(long length) => Signal(() => _length = length);

    public void Complete(long length) => Signal(() =>
    {
        _length = length;
        _complete = true;
    });

    public void Fail(Exception e)
    {
        _opened.TrySetException(e);
        Signal(() => _failure ??= e);
    }

    public void Abandon() => Fail(new AbandonedException());

    private void Signal(Action update)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            update();
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    /// <summary>A stream of the file's bytes, as far as written, waiting for more until the writer ends.</summary>
    public async Task<Stream> FollowAsync(CancellationToken ct)
    {
        var path = await _opened.Task.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
            return new Follower(this, file);
        }
        catch (FileNotFoundException)
        {
            // A small blob can be downloaded, published and its ingest file removed before we get here: nothing to
            // follow, so the consumer reads the finished blob, as after a restarted download.
            throw new AbandonedException();
        }
    }

    private sealed class Follower(GrowingFile owner, FileStream file) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (buffer.IsEmpty) return 0;
            while (true)
            {
                long available;
                bool complete;
                Task changed;
                lock (owner._lock)
                {
                    if (owner._failure is { } failure) throw failure is AbandonedException ? new AbandonedException() : new IOException("the download failed", failure);
                    available = owner._length - _position;
                    complete = owner._complete;
                    changed = owner._changed.Task;
                }
                if (available > 0)
                {
                    var n = await RandomAccess.ReadAsync(file.SafeFileHandle, buffer[..(int)Math.Min(buffer.Length, available)], _position, cancellationToken)
                        .ConfigureAwait(false);
                    if (n == 0) throw new IOException("the followed file is shorter than written");
                    _position += n;
                    return n;
                }
                if (complete) return 0;
                await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) file.Dispose();
            base.Dispose(disposing);
        }
    }
}

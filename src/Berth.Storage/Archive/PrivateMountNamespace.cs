using static Berth.Storage.Interop.Libc;

namespace Berth.Storage.Archive;

/// <summary>
/// A dedicated thread in a mount namespace of its own, where a stopped container's rootfs and volumes can be mounted for
/// <c>docker cp</c> without touching the host's mount table (moby's <c>openContainerFS</c> does the same). Descriptors opened by the
/// setup action stay usable from any thread while the namespace lives; <see cref="Dispose"/> lets the thread end, and the kernel
/// tears every mount of the namespace down with it, even if the daemon dies meanwhile.
/// </summary>
public sealed class PrivateMountNamespace : IDisposable
{
    private readonly ManualResetEventSlim _release = new();
    private readonly Thread _thread;

    private PrivateMountNamespace(Thread thread) => _thread = thread;

    /// <summary>Starts the thread, unshares its mount namespace, makes every mount a slave (nothing propagates back) and runs <paramref name="setup"/> there.</summary>
    public static Task<PrivateMountNamespace> StartAsync(Action setup)
    {
        var ready = new TaskCompletionSource<PrivateMountNamespace>(TaskCreationOptions.RunContinuationsAsynchronously);
        PrivateMountNamespace? self = null;
        var thread = new Thread(() =>
        {
            try
            {
                if (Unshare(CLONE_NEWNS) != 0) throw LastError("unshare mount namespace");
                if (Mount(null, "/", null, MS_REC | MS_SLAVE, null) != 0) throw LastError("make / rslave");
                setup();
            }
            catch (Exception ex)
            {
                ready.TrySetException(ex);
                return;   // the thread ends, and its namespace with it
            }
            ready.TrySetResult(self!);
            self!._release.Wait();
        })
        { IsBackground = true, Name = "berth-mntns" };
        self = new PrivateMountNamespace(thread);
        thread.Start();
        return ready.Task;
    }

    public void Dispose()
    {
        _release.Set();
        _thread.Join(TimeSpan.FromSeconds(10));
        _release.Dispose();
    }
}

using System.Diagnostics;
using Berth.Integration.Tests.Support;
using Berth.Storage;

namespace Berth.Integration.Tests.Storage;

public sealed class BusyboxImageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-itest-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [RootFact("/bin/busybox", "/usr/sbin/chroot")]
    public async Task BusyboxImage_ShellAndAppletsWorkInsideTheRoot()
    {
        var root = new DataRoot(_dir);
        using var meta = new MetadataStore(root.MetadataPath);
        var layers = new LayerStore(root);
        var image = await BusyboxImageBuilder.EnsureAsync(new ImageImporter(meta, new ContentStore(root.ContentDir), layers), meta);
        var fs = layers.LowerDirs(LayerStore.ChainId(image.DiffIds)).Single();

        var psi = new ProcessStartInfo("/usr/sbin/chroot", [fs, "/bin/sh", "-c", "id -un; ls -ld /tmp; echo hi | wc -c"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var output = await p.StandardOutput.ReadToEndAsync(cts.Token);
        var error = await p.StandardError.ReadToEndAsync(cts.Token);
        await p.WaitForExitAsync(cts.Token);
        Assert.True(p.ExitCode == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("root", lines[0]);
        Assert.StartsWith("drwxrwxrwt", lines[1], StringComparison.Ordinal);
        Assert.Equal("3", lines[2].Trim());
    }
}

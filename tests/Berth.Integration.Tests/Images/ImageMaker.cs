using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Images;

/// <summary>Runnable images of the tests' own: busybox plus a unique file, exported and imported, so its layer is new to every store.</summary>
internal static class ImageMaker
{
    public static async Task<string> MakeAsync(DaemonFixture daemon, string reference)
    {
        var name = E2E.UniqueName("mk");
        var marker = Guid.NewGuid().ToString("N");
        (await daemon.RunDockerAsync(["run", "--name", name, "busybox", "sh", "-c", $"echo {marker} > /marker"])).Ok("run");
        var tar = Path.Join(daemon.TempRoot, name + ".tar");
        try
        {
            (await daemon.RunDockerAsync(["export", "-o", tar, name])).Ok("export");
            (await daemon.RunDockerAsync(["import", "--change", "CMD [\"cat\", \"/marker\"]", tar, reference])).Ok("import");
        }
        finally
        {
            File.Delete(tar);
            await daemon.RemoveQuietlyAsync(name);
        }
        return reference;
    }
}

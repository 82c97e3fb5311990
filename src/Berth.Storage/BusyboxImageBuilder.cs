using System.Diagnostics;
using System.Text;
using Berth.Core.Errors;
using Berth.Storage.Archive;

namespace Berth.Storage;

/// <summary>
/// The offline <c>busybox:latest</c>, built from Debian's busybox-static: /bin/busybox with every applet as a symlink in /bin (as
/// <c>busybox --install -s /bin</c> run inside the root makes them), /etc/passwd and /etc/group like Docker Hub's image, /tmp 1777.
/// Every file is root-owned and stamped with the binary's own mtime (set by dpkg from the package), so the image id is the same on
/// every machine with the same package.
/// </summary>
public static class BusyboxImageBuilder
{
    public const string Reference = "docker.io/library/busybox:latest";

    private const string Passwd = """
        root:x:0:0:root:/root:/bin/sh
        daemon:x:1:1:daemon:/usr/sbin:/bin/false
        bin:x:2:2:bin:/bin:/bin/false
        sys:x:3:3:sys:/dev:/bin/false
        sync:x:4:100:sync:/bin:/bin/sync
        mail:x:8:8:mail:/var/spool/mail:/bin/false
        www-data:x:33:33:www-data:/var/www:/bin/false
        operator:x:37:37:Operator:/var:/bin/false
        nobody:x:65534:65534:nobody:/home:/bin/false

        """;

    private const string Group = """
        root:x:0:
        daemon:x:1:
        bin:x:2:
        sys:x:3:
        adm:x:4:
        tty:x:5:
        disk:x:6:
        lp:x:7:
        mail:x:8:
        kmem:x:9:
        wheel:x:10:root
        cdrom:x:11:
        dialout:x:18:
        floppy:x:19:
        video:x:28:
        audio:x:29:
        tape:x:32:
        www-data:x:33:
        operator:x:37:
        utmp:x:43:
        plugdev:x:46:
        staff:x:50:
        lock:x:54:
        netdev:x:82:
        users:x:100:
        nogroup:x:65534:

        """;

    // The static glibc resolver reads it; "files" first so /etc/hosts (container names) wins over DNS.
    private const string NsSwitch = """
        passwd:         files
        group:          files
        shadow:         files
        hosts:          files dns
        networks:       files
        protocols:      files
        services:       files

        """;

    /// <summary>Returns the image tagged busybox:latest, building and tagging it first if there is none.</summary>
    public static async Task<ImageRecord> EnsureAsync(ImageImporter importer, MetadataStore meta, string busyboxPath = "/bin/busybox",
        CancellationToken ct = default)
    {
        if (meta.ResolveTag(Reference) is { } id && meta.GetImage(id) is { } existing) return existing;
        var image = await BuildAsync(importer, busyboxPath, ct);
        meta.SetTag(Reference, image.Id);
        return image;
    }

    internal static async Task<ImageRecord> BuildAsync(ImageImporter importer, string busyboxPath, CancellationToken ct)
    {
        if (!File.Exists(busyboxPath))
            throw new NotFoundException($"cannot build the busybox image: {busyboxPath} not found (install Debian's busybox-static)");
        var applets = await RunAsync(busyboxPath, ["--list"], ct);
        var banner = (await RunAsync(busyboxPath, [], ct)).Split('\n')[0];
        var version = banner.Split(" multi-call", 2)[0].Trim();
        var mtime = new DateTimeOffset(File.GetLastWriteTimeUtc(busyboxPath)).ToUnixTimeSeconds();

        var dir = Directory.CreateTempSubdirectory("berth-busybox-").FullName;
        try
        {
            BuildTree(dir, busyboxPath, applets.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            using var tar = new MemoryStream();
            await new TreeArchiver(new TreeArchiveOptions(FixedMtimeSeconds: mtime, RootOwned: true)).WriteAsync(dir, tar, ct);
            tar.Position = 0;
            var config = new ImageConfigInput(
                Cmd: ["sh"],
                Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                CreatedBy: $"{version}, built by berth from busybox-static",
                Created: DateTimeOffset.FromUnixTimeSeconds(mtime));
            return await importer.ImportRootfsAsync(tar, config, ct);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void BuildTree(string root, string busyboxPath, IEnumerable<string> applets)
    {
        const UnixFileMode d755 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead |
                                  UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        const UnixFileMode f644 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        const UnixFileMode d700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        foreach (var d in new[] { "bin", "dev", "etc", "home", "lib", "usr", "usr/bin", "usr/sbin", "var", "var/spool", "var/spool/mail", "var/www" })
            MakeDir(Path.Join(root, d), d755);
        MakeDir(Path.Join(root, "root"), d700);
        MakeDir(Path.Join(root, "tmp"), d755 | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite | UnixFileMode.StickyBit);

        var bin = Path.Join(root, "bin", "busybox");
        File.Copy(busyboxPath, bin);
        File.SetUnixFileMode(bin, d755);
        // What `chroot root /bin/busybox --install -s /bin` makes, without running anything inside the root.
        foreach (var applet in applets)
        {
            if (applet == "busybox" || applet.Contains('/', StringComparison.Ordinal)) continue;
            File.CreateSymbolicLink(Path.Join(root, "bin", applet), "/bin/busybox");
        }

        WriteFile(Path.Join(root, "etc", "passwd"), Passwd, f644);
        WriteFile(Path.Join(root, "etc", "group"), Group, f644);
        WriteFile(Path.Join(root, "etc", "nsswitch.conf"), NsSwitch, f644);
        WriteFile(Path.Join(root, "etc", "shadow"), "root:*:10933:0:99999:7:::\nnobody:*:10933:0:99999:7:::\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private static void MakeDir(string path, UnixFileMode mode)
    {
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, mode);   // not subject to the umask
    }

    private static void WriteFile(string path, string text, UnixFileMode mode)
    {
        File.WriteAllText(path, text.ReplaceLineEndings("\n"), new UTF8Encoding(false));
        File.SetUnixFileMode(path, mode);
    }

    private static async Task<string> RunAsync(string exe, string[] args, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {exe}");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var stdout = p.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = p.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await p.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw;
        }
        var output = await stdout;
        // `busybox` without arguments prints its banner and usage and exits 0 or 1 depending on the build.
        if (p.ExitCode != 0 && args.Length > 0) throw new EngineException(ErrorKind.Unknown, $"{exe} {string.Join(' ', args)}: {(await stderr).Trim()}");
        return output.Length > 0 ? output : await stderr;
    }
}

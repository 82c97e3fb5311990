using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Images;

/// <summary>A CA and a server certificate for some IP addresses, made with openssl in a directory of the test's (deleted on dispose).</summary>
internal sealed class TestCertificates : IDisposable
{
    public const string OpenSsl = "/usr/bin/openssl";

    private TestCertificates(string dir) => Dir = dir;

    public string Dir { get; }

    public string CaCert => Path.Join(Dir, "ca.crt");

    public string ServerCert => Path.Join(Dir, "server.crt");

    public string ServerKey => Path.Join(Dir, "server.key");

    public static async Task<TestCertificates> MakeAsync(params string[] ips)
    {
        var certs = new TestCertificates(Directory.CreateTempSubdirectory("berth-certs-").FullName);
        try
        {
            string[] ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
            await RunAsync(["req", "-x509", .. ec, "-keyout", Path.Join(certs.Dir, "ca.key"), "-out", certs.CaCert, "-days", "1", "-subj", "/CN=berth test CA"]);
            await RunAsync(["req", .. ec, "-keyout", certs.ServerKey, "-out", Path.Join(certs.Dir, "server.csr"), "-subj", "/CN=" + ips[0]]);
            var ext = Path.Join(certs.Dir, "ext.cnf");
            await File.WriteAllTextAsync(ext, $"subjectAltName={string.Join(',', ips.Select(i => "IP:" + i))}\nextendedKeyUsage=serverAuth\n");
            await RunAsync(["x509", "-req", "-in", Path.Join(certs.Dir, "server.csr"), "-CA", certs.CaCert, "-CAkey", Path.Join(certs.Dir, "ca.key"),
                "-CAcreateserial", "-out", certs.ServerCert, "-days", "1", "-extfile", ext]);
            return certs;
        }
        catch
        {
            certs.Dispose();
            throw;
        }
    }

    private static async Task RunAsync(string[] args) => (await ProcessRunner.RunAsync(OpenSsl, args, timeout: TimeSpan.FromSeconds(60))).Ok("openssl " + args[0]);

    public void Dispose()
    {
        if (Directory.Exists(Dir)) Directory.Delete(Dir, recursive: true);
    }
}

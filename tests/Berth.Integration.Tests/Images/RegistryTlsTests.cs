using Berth.Integration.Tests.EndToEnd;
using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.Images;

/// <summary>
/// <c>berth registry serve --tls-cert --tls-key</c> with a CA made by openssl, reached by berthd as Docker reaches registries: one on
/// the test daemon's own bridge address is secure, so it is refused in Go's x509 words until its CA sits in
/// <c>/etc/docker/certs.d/&lt;host:port&gt;/ca.crt</c> (a directory unique to the test, removed after it); one on loopback is
/// insecure, spoken to over HTTPS without verification.
/// </summary>
[Collection(DaemonCollection.Name)]
public sealed class RegistryTlsTests(DaemonFixture daemon)
{
    private const string CertsD = "/etc/docker/certs.d";
    private const string UnknownAuthority = "tls: failed to verify certificate: x509: certificate signed by unknown authority";

    private string BridgeAddress => daemon.BridgeCidr.Split('/')[0];

    [RootFact(E2E.Docker, TestCertificates.OpenSsl)]
    public async Task SecureRegistry_UntrustedThenTrustedThroughCertsD()
    {
        using var certs = await TestCertificates.MakeAsync(BridgeAddress);
        await using var registry = await RegistryProcess.StartOnAsync(BridgeAddress, tls: true, "--tls-cert", certs.ServerCert, "--tls-key", certs.ServerKey);
        var image = await ImageMaker.MakeAsync(daemon, $"{registry.Address}/tls/img:v1");
        var hostDir = Path.Join(CertsD, registry.Address);
        Assert.False(Directory.Exists(hostDir));
        try
        {
            var push = await daemon.RunDockerAsync(["push", image]);
            Assert.NotEqual(0, push.ExitCode);
            Assert.Contains(UnknownAuthority, push.Stderr);
            var pull = await daemon.RunDockerAsync(["pull", $"{registry.Address}/tls/absent:v1"]);
            Assert.NotEqual(0, pull.ExitCode);
            Assert.Contains($"Get \"https://{registry.Address}/v2/\": {UnknownAuthority}", pull.Stderr);
            var search = await daemon.RunDockerAsync(["search", $"{registry.Address}/tls"]);
            Assert.Contains(UnknownAuthority, search.Stderr);
            Assert.Contains($"place the CA certificate at /etc/docker/certs.d/{registry.Address}/ca.crt", search.Stderr);

            Directory.CreateDirectory(hostDir);
            File.Copy(certs.CaCert, Path.Join(hostDir, "ca.crt"));
            var expected = (await daemon.RunDockerAsync(["run", "--rm", image])).Ok("run").Stdout;
            (await daemon.RunDockerAsync(["push", image])).Ok("push over TLS with the CA in certs.d");
            (await daemon.RunDockerAsync(["rmi", image])).Ok("rmi");
            (await daemon.RunBerthAsync(["pull", image])).Ok("pull over TLS");
            Assert.Equal(expected, (await daemon.RunDockerAsync(["run", "--rm", image])).Ok("run pulled").Stdout);
            Assert.Equal("tls/img\n", (await daemon.RunDockerAsync(["search", "--format", "{{.Name}}", $"{registry.Address}/tls"])).Ok("search over TLS").Stdout);
        }
        finally
        {
            if (Directory.Exists(hostDir)) Directory.Delete(hostDir, recursive: true);
            await daemon.RunDockerAsync(["rmi", "-f", image]);
        }
    }

    [RootFact(E2E.Docker, TestCertificates.OpenSsl)]
    public async Task LoopbackRegistryOverTls_IsInsecure_PushAndPullWithoutTheCa()
    {
        using var certs = await TestCertificates.MakeAsync("127.0.0.1");
        await using var registry = await RegistryProcess.StartOnAsync("127.0.0.1", tls: true, "--tls-cert", certs.ServerCert, "--tls-key", certs.ServerKey);
        var image = await ImageMaker.MakeAsync(daemon, $"{registry.Address}/tls/loop:v1");
        try
        {
            (await daemon.RunDockerAsync(["push", image])).Ok("push to a loopback TLS registry");
            (await daemon.RunDockerAsync(["rmi", image])).Ok("rmi");
            (await daemon.RunDockerAsync(["pull", image])).Ok("pull from a loopback TLS registry");
            // The registry really speaks TLS: plain HTTP gets nothing from it.
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetAsync($"http://{registry.Address}/v2/"));
        }
        finally
        {
            await daemon.RunDockerAsync(["rmi", "-f", image]);
        }
    }
}

namespace Berth.Cli;

/// <summary>The docker CLI's global TLS flags (<c>--tls</c>, <c>--tlsverify</c>, <c>--tlscacert</c>, <c>--tlscert</c>,
/// <c>--tlskey</c>); null means "not given", so the environment decides.</summary>
internal sealed class TlsFlags
{
    public bool Tls { get; set; }
    public bool? TlsVerify { get; set; }
    public string? CaCert { get; set; }
    public string? Cert { get; set; }
    public string? Key { get; set; }

    /// <summary>Consumes <c>all[i]</c> (and its value) when it is a TLS flag; false otherwise.</summary>
    public bool TryConsume(string[] all, ref int i)
    {
        var a = all[i];
        string? inline = null;
        var eq = a.IndexOf('=', StringComparison.Ordinal);
        if (a.StartsWith("--", StringComparison.Ordinal) && eq > 0) { inline = a[(eq + 1)..]; a = a[..eq]; }
        switch (a)
        {
            case "--tls": Tls = inline is null or "true" or "1"; return true;
            case "--tlsverify": TlsVerify = inline is null or "true" or "1"; return true;
            case "--tlscacert" or "--tlscert" or "--tlskey":
                string value;
                if (inline is not null) value = inline;
                else if (i + 1 < all.Length) value = all[++i];
                else throw new Parsing.UsageException($"flag needs an argument: {a}");
                if (a == "--tlscacert") CaCert = value;
                else if (a == "--tlscert") Cert = value;
                else Key = value;
                return true;
            default: return false;
        }
    }
}

using Berth.Network.Bridge;

namespace Berth.Network.Firewall;

/// <summary>
/// Applies the rendered rule set with <c>iptables-restore --wait --noflush</c> (one process per change) and keeps one
/// jump from each built-in chain into the daemon's own chains. <paramref name="tag"/> (the default bridge's name) keeps
/// two daemons on one host from touching each other's rules.
/// </summary>
public sealed class IptablesFirewall(string tag)
{
    private static readonly string Iptables = Find("iptables");
    private static readonly string IptablesRestore = Find("iptables-restore");
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _jumpsInstalled;

    public string Tag { get; } = tag;

    public async Task ApplyAsync(IReadOnlyList<FirewallNetwork> networks, IReadOnlyList<PortRule> ports, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var text = IptablesRenderer.Render(Tag, networks, ports);
            var (code, stderr) = await IpTool.ExecAsync(IptablesRestore, ["-w", "--noflush"], text, ct);
            if (code != 0) throw new IOException($"iptables-restore: {stderr.Trim()}");
            if (!_jumpsInstalled)
            {
                foreach (var (table, chain, rule) in IptablesRenderer.Jumps(Tag))
                {
                    if ((await IpTool.ExecAsync(Iptables, ["-w", "-t", table, "-C", chain, .. rule], null, ct)).Code == 0) continue;
                    var (c, err) = await IpTool.ExecAsync(Iptables, ["-w", "-t", table, "-I", chain, "1", .. rule], null, ct);
                    if (c != 0) throw new IOException($"iptables -t {table} -I {chain}: {err.Trim()}");
                }
                _jumpsInstalled = true;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Removes the jumps and the chains (tests and a daemon that deletes its default bridge use this).</summary>
    public static async Task RemoveAllAsync(string tag, CancellationToken ct)
    {
        foreach (var (table, chain, rule) in IptablesRenderer.Jumps(tag))
        {
            while ((await IpTool.ExecAsync(Iptables, ["-w", "-t", table, "-D", chain, .. rule], null, ct)).Code == 0) { }
        }
        foreach (var (table, chain) in new[] { ("filter", IptablesRenderer.FilterChain(tag)), ("nat", IptablesRenderer.NatChain(tag)), ("nat", IptablesRenderer.PostChain(tag)) })
        {
            await IpTool.ExecAsync(Iptables, ["-w", "-t", table, "-F", chain], null, ct);
            await IpTool.ExecAsync(Iptables, ["-w", "-t", table, "-X", chain], null, ct);
        }
    }

    private static string Find(string name) =>
        new[] { "/usr/sbin/", "/sbin/", "/usr/bin/", "/bin/" }.Select(d => d + name).FirstOrDefault(File.Exists) ?? name;
}

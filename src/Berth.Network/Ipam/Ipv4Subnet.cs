using System.Globalization;

namespace Berth.Network.Ipam;

/// <summary>An IPv4 CIDR block; <see cref="Network"/> is always the masked base address.</summary>
public readonly record struct Ipv4Subnet
{
    public Ipv4Subnet(uint network, int prefix)
    {
        if (prefix is < 0 or > 32) throw new ArgumentOutOfRangeException(nameof(prefix));
        Prefix = prefix;
        Network = network & MaskOf(prefix);
    }

    public uint Network { get; }
    public int Prefix { get; }
    public uint Mask => MaskOf(Prefix);
    public uint Broadcast => Network | ~Mask;
    public ulong Size => 1UL << (32 - Prefix);

    public static uint MaskOf(int prefix) => prefix == 0 ? 0 : uint.MaxValue << (32 - prefix);

    /// <summary>Parses <c>a.b.c.d/n</c>; host bits are cleared (Docker does the same for <c>--subnet 10.1.2.3/16</c>).</summary>
    public static bool TryParse(string? text, out Ipv4Subnet subnet)
    {
        subnet = default;
        if (string.IsNullOrEmpty(text)) return false;
        var slash = text.IndexOf('/');
        if (slash < 0 || !Ipv4.TryParse(text[..slash], out var ip)) return false;
        if (!int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > 32) return false;
        subnet = new Ipv4Subnet(ip, prefix);
        return true;
    }

    public static Ipv4Subnet Parse(string text) =>
        TryParse(text, out var s) ? s : throw new FormatException($"invalid CIDR address: {text}");

    public bool Contains(uint address) => (address & Mask) == Network;

    public bool Contains(Ipv4Subnet other) => other.Prefix >= Prefix && Contains(other.Network);

    public bool Overlaps(Ipv4Subnet other) => Contains(other.Network) || other.Contains(Network);

    public override string ToString() => $"{Ipv4.Format(Network)}/{Prefix.ToString(CultureInfo.InvariantCulture)}";
}

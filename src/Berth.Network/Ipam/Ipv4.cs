using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Berth.Network.Ipam;

/// <summary>IPv4 addresses as host-order integers, so subnet arithmetic is plain masking.</summary>
public static class Ipv4
{
    public static bool TryParse(string text, out uint address)
    {
        address = 0;
        if (!IPAddress.TryParse(text, out var ip) || ip.AddressFamily != AddressFamily.InterNetwork || text.Count(c => c == '.') != 3) return false;
        address = ToUInt(ip);
        return true;
    }

    public static uint Parse(string text) =>
        TryParse(text, out var a) ? a : throw new FormatException($"invalid IPv4 address: {text}");

    public static uint ToUInt(IPAddress ip)
    {
        Span<byte> b = stackalloc byte[4];
        ip.TryWriteBytes(b, out _);
        return (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
    }

    public static IPAddress ToIPAddress(uint a) => new([(byte)(a >> 24), (byte)(a >> 16), (byte)(a >> 8), (byte)a]);

    public static string Format(uint a) => string.Create(CultureInfo.InvariantCulture, $"{a >> 24}.{(a >> 16) & 255}.{(a >> 8) & 255}.{a & 255}");

    /// <summary>Docker's MAC for an address on a bridge: 02:42 followed by the four address bytes.</summary>
    public static string MacFor(uint a) => string.Create(CultureInfo.InvariantCulture, $"02:42:{a >> 24:x2}:{(a >> 16) & 255:x2}:{(a >> 8) & 255:x2}:{a & 255:x2}");
}

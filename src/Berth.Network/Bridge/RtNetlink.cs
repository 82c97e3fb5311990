using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Berth.Network.Interop;

namespace Berth.Network.Bridge;

/// <summary>
/// The two rtnetlink requests on a container's start and stop path, sent from the daemon itself instead of through an
/// `ip` process each (a process spawn is the bulk of their cost: tens of ms on a loaded machine, against well under one
/// for the request). Messages are built as iproute2 builds them for `ip link add … type veth peer …` and `ip link del`.
/// </summary>
internal static class RtNetlink
{
    private const ushort RTM_NEWLINK = 16;
    private const ushort RTM_DELLINK = 17;
    private const ushort NLMSG_ERROR = 2;
    private const ushort NLM_F_REQUEST = 0x1;
    private const ushort NLM_F_ACK = 0x4;
    private const ushort NLM_F_EXCL = 0x200;
    private const ushort NLM_F_CREATE = 0x400;
    private const ushort IFLA_ADDRESS = 1;
    private const ushort IFLA_IFNAME = 3;
    private const ushort IFLA_MTU = 4;
    private const ushort IFLA_MASTER = 10;
    private const ushort IFLA_LINKINFO = 18;
    private const ushort IFLA_NET_NS_PID = 19;
    private const ushort IFLA_INFO_KIND = 1;
    private const ushort IFLA_INFO_DATA = 2;
    private const ushort VETH_INFO_PEER = 1;
    private const uint IFF_UP = 1;
    private const int IfInfoMsgSize = 16;

    /// <summary>
    /// <c>ip link add HOST mtu M master BRIDGE up type veth peer name PEER mtu M address MAC netns PID</c>: the host end
    /// enslaved and up, the peer created directly inside the namespace of <paramref name="pid"/>.
    /// </summary>
    internal static void CreateVeth(string hostIf, string bridge, int pid, string peerIf, string mac, int mtu)
    {
        var bridgeIndex = Libc.IfNameToIndex(bridge);
        if (bridgeIndex == 0) throw new IOException($"ip link add {hostIf} master {bridge}: bridge {bridge}: {Libc.LastError()}");
        var m = new Message(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
        m.IfInfo(flags: IFF_UP, change: IFF_UP);
        m.String(IFLA_IFNAME, hostIf);
        m.U32(IFLA_MTU, (uint)mtu);
        m.U32(IFLA_MASTER, bridgeIndex);
        var linkInfo = m.Begin(IFLA_LINKINFO);
        m.String(IFLA_INFO_KIND, "veth");
        var data = m.Begin(IFLA_INFO_DATA);
        var peer = m.Begin(VETH_INFO_PEER);
        m.IfInfo(flags: 0, change: 0);
        m.String(IFLA_IFNAME, peerIf);
        m.U32(IFLA_MTU, (uint)mtu);
        m.Bytes(IFLA_ADDRESS, ParseMac(mac));
        m.U32(IFLA_NET_NS_PID, (uint)pid);
        m.End(peer);
        m.End(data);
        m.End(linkInfo);
        var errno = Transact(m);
        if (errno != 0) throw new IOException($"ip link add {hostIf} type veth peer name {peerIf} netns {pid}: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    /// <summary><c>ip link del NAME</c>; false when there is no such link (already gone with its namespace).</summary>
    internal static bool DeleteLink(string name)
    {
        var m = new Message(RTM_DELLINK, NLM_F_REQUEST | NLM_F_ACK);
        m.IfInfo(flags: 0, change: 0);
        m.String(IFLA_IFNAME, name);
        var errno = Transact(m);
        if (errno == Libc.ENODEV) return false;
        if (errno != 0) throw new IOException($"ip link del {name}: {Marshal.GetPInvokeErrorMessage(errno)}");
        return true;
    }

    /// <summary>Sends one request on a fresh NETLINK_ROUTE socket and returns the errno of the kernel's ack (0: done).</summary>
    private static unsafe int Transact(Message m)
    {
        var fd = Libc.Socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Libc.NETLINK_ROUTE);
        if (fd < 0) throw new IOException($"netlink socket: {Libc.LastError()}");
        try
        {
            var request = m.Finish();
            fixed (byte* p = request)
            {
                // An unbound netlink socket sends to the kernel (port id 0).
                if (Libc.Send(fd, p, (nuint)request.Length, 0) != request.Length) throw new IOException($"netlink send: {Libc.LastError()}");
            }
            var buf = stackalloc byte[8192];
            while (true)
            {
                var n = Libc.Recv(fd, buf, 8192, 0);
                if (n < 0)
                {
                    if (Marshal.GetLastPInvokeError() == Libc.EINTR) continue;
                    throw new IOException($"netlink recv: {Libc.LastError()}");
                }
                var reply = new ReadOnlySpan<byte>(buf, (int)n);
                while (reply.Length >= 16)
                {
                    var len = (int)BinaryPrimitives.ReadUInt32LittleEndian(reply);
                    var type = BinaryPrimitives.ReadUInt16LittleEndian(reply[4..]);
                    if (len < 16 || len > reply.Length) break;
                    // nlmsgerr: a negative errno (0 for the ack) followed by the request's header.
                    if (type == NLMSG_ERROR) return -BinaryPrimitives.ReadInt32LittleEndian(reply[16..]);
                    reply = reply[Align(len)..];
                }
            }
        }
        finally
        {
            Libc.Close(fd);
        }
    }

    private static byte[] ParseMac(string mac)
    {
        var parts = mac.Split(':');
        if (parts.Length != 6) throw new ArgumentException($"invalid MAC address {mac}", nameof(mac));
        return [.. parts.Select(p => Convert.ToByte(p, 16))];
    }

    private static int Align(int n) => (n + 3) & ~3;

    /// <summary>A netlink message under construction: header, then attributes (nested ones patched with their length).</summary>
    private sealed class Message
    {
        private readonly List<byte> _b = new(256);

        internal Message(ushort type, ushort flags)
        {
            Span<byte> h = stackalloc byte[16];
            BinaryPrimitives.WriteUInt16LittleEndian(h[4..], type);
            BinaryPrimitives.WriteUInt16LittleEndian(h[6..], flags);
            BinaryPrimitives.WriteUInt32LittleEndian(h[8..], 1);   // sequence number: one request per socket
            _b.AddRange(h.ToArray());
        }

        /// <summary>struct ifinfomsg: family AF_UNSPEC, type 0, index 0, flags, change.</summary>
        internal void IfInfo(uint flags, uint change)
        {
            Span<byte> i = stackalloc byte[IfInfoMsgSize];
            BinaryPrimitives.WriteUInt32LittleEndian(i[8..], flags);
            BinaryPrimitives.WriteUInt32LittleEndian(i[12..], change);
            _b.AddRange(i.ToArray());
        }

        internal void String(ushort type, string value) => Bytes(type, [.. Encoding.ASCII.GetBytes(value), 0]);

        internal void U32(ushort type, uint value)
        {
            var v = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(v, value);
            Bytes(type, v);
        }

        internal void Bytes(ushort type, byte[] value)
        {
            Header(type, 4 + value.Length);
            _b.AddRange(value);
            Pad();
        }

        internal int Begin(ushort type)
        {
            var at = _b.Count;
            Header(type, 4);   // without NLA_F_NESTED, as iproute2's addattr_nest; the kernel parses these either way
            return at;
        }

        internal void End(int at)
        {
            var len = _b.Count - at;
            _b[at] = (byte)len;
            _b[at + 1] = (byte)(len >> 8);
        }

        internal byte[] Finish()
        {
            var bytes = _b.ToArray();
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)bytes.Length);
            return bytes;
        }

        private void Header(ushort type, int len)
        {
            _b.Add((byte)len);
            _b.Add((byte)(len >> 8));
            _b.Add((byte)type);
            _b.Add((byte)(type >> 8));
        }

        private void Pad()
        {
            while (_b.Count % 4 != 0) _b.Add(0);
        }
    }
}

using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Berth.Network.Interop;

namespace Berth.Network.Bridge;

/// <summary>
/// Runs work inside a container's network namespace: a fresh thread enters it with setns (the namespace is per thread),
/// does the work and ends, so no pooled thread is ever left in a foreign namespace. Sockets created there stay bound to
/// that namespace for their whole life, which is how the embedded DNS server listens on the container's 127.0.0.11.
/// Addresses and routes are set with the classic interface ioctls: no process per step on the start path.
/// </summary>
public static class NetnsConfigurator
{
    public static Task<T> RunInAsync<T>(string netnsPath, Func<T> work)
    {
        var fd = Libc.Open(netnsPath, Libc.O_RDONLY | Libc.O_CLOEXEC);
        if (fd < 0) return Task.FromException<T>(new IOException($"open {netnsPath}: {Libc.LastError()}"));
        var tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                if (Libc.SetNs(fd, Libc.CLONE_NEWNET) != 0) throw new IOException($"setns {netnsPath}: {Libc.LastError()}");
                tcs.SetResult(work());
            }
            catch (Exception ex)
            {
                tcs.SetException(ex);
            }
            finally
            {
                Libc.Close(fd);
            }
        }) { IsBackground = true, Name = "netns" };
        thread.Start();
        return tcs.Task;
    }

    /// <summary>Brings an interface up and, when given, sets its IPv4 address. Must run inside the namespace.</summary>
    public static unsafe void ConfigureInterface(string name, uint? address = null, int prefix = 0)
    {
        var s = OpenSocket();
        try
        {
            var ifr = stackalloc byte[40];
            if (address is { } a)
            {
                Clear(ifr, name);
                WriteSockaddrIn(ifr + 16, a);
                Check(Libc.Ioctl(s, Libc.SIOCSIFADDR, ifr), $"set address of {name}");
                Clear(ifr, name);
                WriteSockaddrIn(ifr + 16, prefix == 0 ? 0 : uint.MaxValue << (32 - prefix));
                Check(Libc.Ioctl(s, Libc.SIOCSIFNETMASK, ifr), $"set netmask of {name}");
            }
            Clear(ifr, name);
            Check(Libc.Ioctl(s, Libc.SIOCGIFFLAGS, ifr), $"get flags of {name}");
            *(short*)(ifr + 16) |= Libc.IFF_UP;
            Check(Libc.Ioctl(s, Libc.SIOCSIFFLAGS, ifr), $"bring up {name}");
        }
        finally
        {
            Libc.Close(s);
        }
    }

    /// <summary>Adds <c>default via gateway</c>. Must run inside the namespace, after the interface has its address.</summary>
    public static unsafe void AddDefaultRoute(uint gateway)
    {
        var s = OpenSocket();
        try
        {
            // struct rtentry on x86-64/arm64: pad(8) dst(16)@8 gateway(16)@24 genmask(16)@40 flags(u16)@56 … dev(char*)@88; 120 bytes.
            var rt = stackalloc byte[120];
            new Span<byte>(rt, 120).Clear();
            WriteSockaddrIn(rt + 8, 0);
            WriteSockaddrIn(rt + 24, gateway);
            WriteSockaddrIn(rt + 40, 0);
            *(ushort*)(rt + 56) = Libc.RTF_UP | Libc.RTF_GATEWAY;
            if (Libc.Ioctl(s, Libc.SIOCADDRT, rt) != 0 && Marshal.GetLastPInvokeError() != Libc.EEXIST)
                throw new IOException($"add default route: {Libc.LastError()}");
        }
        finally
        {
            Libc.Close(s);
        }
    }

    private static int OpenSocket()
    {
        var s = Libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        return s >= 0 ? s : throw new IOException($"socket: {Libc.LastError()}");
    }

    private static unsafe void Clear(byte* ifr, string name)
    {
        var span = new Span<byte>(ifr, 40);
        span.Clear();
        var written = Encoding.ASCII.GetBytes(name, span[..15]);
        span[written] = 0;
    }

    private static unsafe void WriteSockaddrIn(byte* p, uint address)
    {
        var span = new Span<byte>(p, 16);
        span.Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(span, Libc.AF_INET);
        BinaryPrimitives.WriteUInt32BigEndian(span[4..], address);
    }

    private static void Check(int rc, string what)
    {
        if (rc != 0) throw new IOException($"{what}: {Libc.LastError()}");
    }
}

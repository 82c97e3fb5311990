using System.Runtime.InteropServices;

namespace Berth.Cli.Terminal;

/// <summary>libc terminal calls. termios is handled as an opaque buffer (60 bytes on Linux, rounded up) and made raw
/// with cfmakeraw, so no struct layout is hard-coded.</summary>
internal static partial class TerminalInterop
{
    public const int TermiosSize = 128;
    private const int TCSANOW = 0;
    private const nuint TIOCGWINSZ = 0x5413;

    [LibraryImport("libc", EntryPoint = "isatty")]
    public static partial int IsATty(int fd);

    [LibraryImport("libc", EntryPoint = "tcgetattr", SetLastError = true)]
    private static partial int TcGetAttr(int fd, Span<byte> termios);

    [LibraryImport("libc", EntryPoint = "tcsetattr", SetLastError = true)]
    private static partial int TcSetAttr(int fd, int optionalActions, ReadOnlySpan<byte> termios);

    [LibraryImport("libc", EntryPoint = "cfmakeraw")]
    private static partial void CfMakeRaw(Span<byte> termios);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int IoctlWinSize(int fd, nuint request, out WinSize size);

    [StructLayout(LayoutKind.Sequential)]
    private struct WinSize
    {
        public ushort Rows;
        public ushort Cols;
        public ushort XPixel;
        public ushort YPixel;
    }

    public static bool IsTerminal(int fd) => IsATty(fd) == 1;

    /// <summary>Puts <paramref name="fd"/> in raw mode; returns the previous state to restore, or null if not a tty.</summary>
    public static byte[]? MakeRaw(int fd)
    {
        var saved = new byte[TermiosSize];
        if (TcGetAttr(fd, saved) != 0) return null;
        var raw = (byte[])saved.Clone();
        CfMakeRaw(raw);
        return TcSetAttr(fd, TCSANOW, raw) == 0 ? saved : null;
    }

    public static void Restore(int fd, byte[] saved) => TcSetAttr(fd, TCSANOW, saved);

    public static (int Height, int Width)? GetSize(int fd) =>
        IoctlWinSize(fd, TIOCGWINSZ, out var ws) == 0 && ws.Cols > 0 ? (ws.Rows, ws.Cols) : null;
}

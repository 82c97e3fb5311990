using System.Runtime.InteropServices;

namespace Berth.Storage.Interop;

/// <summary>
/// The streaming decompression API of Debian's libzstd1 (zstd.h, stable since 1.3). .NET has no zstd of its own; the native
/// library is as fast as the reference and keeps Native AOT free of a managed port.
/// </summary>
internal static partial class Zstd
{
    private const string Lib = "libzstd.so.1";

    /// <summary>ZSTD_d_windowLogMax: the largest window a frame may ask for (the default, 27, refuses <c>zstd --long=31</c> output).</summary>
    public const int DWindowLogMax = 100;

    [StructLayout(LayoutKind.Sequential)]
    public struct InBuffer
    {
        public nint Src;
        public nuint Size;
        public nuint Pos;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct OutBuffer
    {
        public nint Dst;
        public nuint Size;
        public nuint Pos;
    }

    [LibraryImport(Lib, EntryPoint = "ZSTD_createDCtx")]
    public static partial nint CreateDCtx();

    [LibraryImport(Lib, EntryPoint = "ZSTD_freeDCtx")]
    public static partial nuint FreeDCtx(nint dctx);

    [LibraryImport(Lib, EntryPoint = "ZSTD_DCtx_setParameter")]
    public static partial nuint DCtxSetParameter(nint dctx, int param, int value);

    [LibraryImport(Lib, EntryPoint = "ZSTD_decompressStream")]
    public static unsafe partial nuint DecompressStream(nint dctx, OutBuffer* output, InBuffer* input);

    [LibraryImport(Lib, EntryPoint = "ZSTD_isError")]
    public static partial uint IsError(nuint code);

    [LibraryImport(Lib, EntryPoint = "ZSTD_getErrorName")]
    private static partial nint GetErrorNamePtr(nuint code);

    public static string ErrorName(nuint code) => Marshal.PtrToStringUTF8(GetErrorNamePtr(code)) ?? "unknown zstd error";
}

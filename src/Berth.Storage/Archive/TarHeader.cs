namespace Berth.Storage.Archive;

/// <summary>One tar entry's metadata with xattr values kept as raw bytes (System.Formats.Tar decodes them as UTF-8 and corrupts them).</summary>
internal sealed class TarHeader
{
    public const char Regular = '0';
    public const char HardLink = '1';
    public const char Symlink = '2';
    public const char CharDevice = '3';
    public const char BlockDevice = '4';
    public const char Directory = '5';
    public const char Fifo = '6';
    public const char Contiguous = '7';

    public string Name { get; set; } = "";
    public string LinkName { get; set; } = "";
    public char Type { get; set; } = Regular;
    public uint Mode { get; set; }
    public long Uid { get; set; }
    public long Gid { get; set; }
    public long Size { get; set; }
    public long MtimeSeconds { get; set; }
    public uint MtimeNanoseconds { get; set; }
    public uint DevMajor { get; set; }
    public uint DevMinor { get; set; }
    public string? Uname { get; set; }
    public string? Gname { get; set; }
    public SortedDictionary<string, byte[]> Xattrs { get; } = new(StringComparer.Ordinal);

    public bool IsRegular => Type is Regular or Contiguous;
}

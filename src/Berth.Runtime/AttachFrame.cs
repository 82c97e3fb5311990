namespace Berth.Runtime;

/// <summary>One chunk of container output: Stream 1 = stdout, 2 = stderr. Data is only valid until the next read.</summary>
public readonly record struct AttachFrame(int Stream, ReadOnlyMemory<byte> Data);

namespace Berth.Services.Logs;

/// <summary>Parses the complete records at the front of a chunk into entries; what is incomplete stays in the chunk.</summary>
internal interface ILogDecoder
{
    /// <returns>The size the chunk must have to hold the next record (0 when it fits or the data is unusable).</returns>
    int Decode(LogChunk chunk, LineAssembler lines, List<LogEntry> into);
}

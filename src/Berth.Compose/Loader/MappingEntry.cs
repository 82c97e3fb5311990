namespace Berth.Compose.Loader;

internal sealed record MappingEntry(string Key, int KeyLine, Node Value);

namespace Berth.Compose.Loader;

/// <summary>A template error without location; the caller adds file, line and key path.</summary>
internal sealed class InterpolationException(string message) : Exception(message);

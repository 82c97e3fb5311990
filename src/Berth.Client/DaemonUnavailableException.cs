using System.Net.Sockets;

namespace Berth.Client;

/// <summary>The socket could not be reached; worded like docker's "Cannot connect to the Docker daemon" error.</summary>
public sealed class DaemonUnavailableException(string socketPath, SocketException inner)
    : Exception($"Cannot connect to the Berth daemon at unix://{socketPath}. Is the berth daemon running?", inner);

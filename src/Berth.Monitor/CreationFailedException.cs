namespace Berth.Monitor;

/// <summary>The runtime could not create the container; the message is what it said (berthd reports it to the client).</summary>
internal sealed class CreationFailedException(string message) : Exception(message);

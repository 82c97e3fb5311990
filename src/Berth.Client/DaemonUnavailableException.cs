using System.Security.Authentication;

namespace Berth.Client;

/// <summary>The daemon could not be reached; worded like docker's "Cannot connect to the Docker daemon" error (a TLS
/// failure says why, as docker's "error during connect" does).</summary>
public sealed class DaemonUnavailableException(string address, Exception inner)
    : Exception(inner is AuthenticationException
        ? $"error during connect: {address}: TLS: {inner.Message}"
        : $"Cannot connect to the Berth daemon at {(address.Contains("://", StringComparison.Ordinal) ? address : "unix://" + address)}. Is the berth daemon running?", inner);

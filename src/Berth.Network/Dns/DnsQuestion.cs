namespace Berth.Network.Dns;

/// <summary>The first question of a DNS query: the name (lower case, no trailing dot), its type and class.</summary>
public sealed record DnsQuestion(string Name, ushort Type, ushort Class);

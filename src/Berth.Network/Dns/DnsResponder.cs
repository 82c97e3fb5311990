using System.Globalization;

namespace Berth.Network.Dns;

/// <summary>Answers one query for one container: its networks' names first, then the upstream resolvers, else SERVFAIL.</summary>
public sealed class DnsResponder(IDnsNames names, DnsForwarder forwarder)
{
    public async Task<byte[]> RespondAsync(string containerId, byte[] query, CancellationToken ct)
    {
        if (!DnsMessage.IsQuery(query)) return [];
        var question = DnsMessage.ReadQuestion(query, out var end);
        if (question is null) return DnsMessage.Error(query, DnsMessage.RcodeFormErr);
        if (question.Class == DnsMessage.ClassIn)
        {
            switch (question.Type)
            {
                case DnsMessage.TypeA or DnsMessage.TypeAaaa:
                    if (names.Lookup(containerId, question.Name) is { Count: > 0 } addresses)
                    {
                        // Our networks are IPv4 only: a known name has no AAAA records (NOERROR, empty), as Docker answers.
                        return DnsMessage.Answer(query, end, DnsMessage.RcodeNoError, question.Type == DnsMessage.TypeA ? addresses : []);
                    }
                    break;
                case DnsMessage.TypePtr when TryParseReverse(question.Name, out var address):
                    if (names.Reverse(containerId, address) is { } target) return DnsMessage.PtrAnswer(query, end, target);
                    break;
            }
        }
        var answer = await forwarder.ForwardAsync(query, names.Upstreams(containerId), ct);
        return answer ?? DnsMessage.Error(query, DnsMessage.RcodeServFail);
    }

    internal static bool TryParseReverse(string name, out uint address)
    {
        address = 0;
        const string suffix = ".in-addr.arpa";
        if (!name.EndsWith(suffix, StringComparison.Ordinal)) return false;
        var parts = name[..^suffix.Length].Split('.');
        if (parts.Length != 4) return false;
        for (var i = 3; i >= 0; i--)
        {
            if (!byte.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var b)) return false;
            address = (address << 8) | b;
        }
        return true;
    }
}

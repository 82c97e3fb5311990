using System.Net;
using Berth.Network.Dns;
using Berth.Network.Ipam;

namespace Berth.Tests.Network;

public sealed class DnsMessageTests
{
    [Fact]
    public void Query_RoundTripsThroughReadQuestion()
    {
        var q = DnsMessage.Query(0x1234, "Web.MyNet", DnsMessage.TypeA);
        var question = DnsMessage.ReadQuestion(q, out var end);
        Assert.NotNull(question);
        Assert.Equal("web.mynet", question.Name); // lower-cased
        Assert.Equal(DnsMessage.TypeA, question.Type);
        Assert.Equal(DnsMessage.ClassIn, question.Class);
        Assert.Equal(q.Length, end);
        Assert.Equal(0x1234, DnsMessage.Id(q));
    }

    [Fact]
    public void ReadQuestion_RejectsMalformedMessages()
    {
        var q = DnsMessage.Query(1, "web", DnsMessage.TypeA);
        Assert.Null(DnsMessage.ReadQuestion(q.AsSpan(0, 11), out _));   // short header
        Assert.Null(DnsMessage.ReadQuestion(q.AsSpan(0, q.Length - 2), out _)); // truncated type/class
        var response = (byte[])q.Clone();
        response[2] |= 0x80;
        Assert.Null(DnsMessage.ReadQuestion(response, out _));         // a response, not a query
        var twoQuestions = (byte[])q.Clone();
        twoQuestions[5] = 2;
        Assert.Null(DnsMessage.ReadQuestion(twoQuestions, out _));
        var pointer = (byte[])q.Clone();
        pointer[12] = 0xC0;
        Assert.Null(DnsMessage.ReadQuestion(pointer, out _));          // compression is not allowed in the question
        var overlong = (byte[])q.Clone();
        overlong[12] = 60;                                             // label runs past the end
        Assert.Null(DnsMessage.ReadQuestion(overlong, out _));
    }

    [Fact]
    public void Answer_CarriesARecordsAndEchoesTheQuestion()
    {
        var q = DnsMessage.Query(7, "web", DnsMessage.TypeA);
        DnsMessage.ReadQuestion(q, out var end);
        var a = DnsMessage.Answer(q, end, DnsMessage.RcodeNoError, [Ipv4.Parse("172.18.0.2"), Ipv4.Parse("172.18.0.3")]);
        Assert.Equal(7, DnsMessage.Id(a));
        Assert.Equal(0x80, a[2] & 0x80);                     // QR
        Assert.Equal(0x01, a[2] & 0x01);                     // RD copied
        Assert.Equal(0x80, a[3] & 0x80);                     // RA
        Assert.Equal(DnsMessage.RcodeNoError, DnsMessage.Rcode(a));
        Assert.Equal(2, DnsMessage.AnswerCount(a));
        Assert.Equal(q.AsSpan(12, end - 12).ToArray(), a.AsSpan(12, end - 12).ToArray());
        // First record: name pointer, type A, class IN, TTL, length 4, address.
        Assert.Equal(new byte[] { 0xC0, 0x0C, 0, 1, 0, 1 }, a.AsSpan(end, 6).ToArray());
        Assert.Equal(new byte[] { 0, 4, 172, 18, 0, 2 }, a.AsSpan(end + 10, 6).ToArray());
        Assert.Equal(new byte[] { 172, 18, 0, 3 }, a.AsSpan(end + 28, 4).ToArray());
    }

    [Fact]
    public void Error_KeepsIdAndQuestion()
    {
        var q = DnsMessage.Query(99, "example.org", DnsMessage.TypeAaaa);
        var e = DnsMessage.Error(q, DnsMessage.RcodeServFail);
        Assert.Equal(99, DnsMessage.Id(e));
        Assert.Equal(DnsMessage.RcodeServFail, DnsMessage.Rcode(e));
        Assert.Equal(0, DnsMessage.AnswerCount(e));
        Assert.Equal(q.Length, e.Length);
    }

    [Fact]
    public void PtrAnswer_EncodesTheTargetName()
    {
        var q = DnsMessage.Query(5, "2.0.18.172.in-addr.arpa", DnsMessage.TypePtr);
        DnsMessage.ReadQuestion(q, out var end);
        var a = DnsMessage.PtrAnswer(q, end, "web.mynet");
        Assert.Equal(1, DnsMessage.AnswerCount(a));
        Assert.Equal(new byte[] { 3, (byte)'w', (byte)'e', (byte)'b', 5, (byte)'m', (byte)'y', (byte)'n', (byte)'e', (byte)'t', 0 }, a.AsSpan(end + 12).ToArray());
    }

    [Theory]
    [InlineData("2.0.18.172.in-addr.arpa", "172.18.0.2")]
    [InlineData("1.2.3.4.in-addr.arpa", "4.3.2.1")]
    public void TryParseReverse(string name, string expected)
    {
        Assert.True(DnsResponder.TryParseReverse(name, out var a));
        Assert.Equal(expected, Ipv4.Format(a));
    }

    [Fact]
    public async Task Responder_AnswersOwnNames_AndServfailsFastWithoutUpstream()
    {
        var names = new StaticNames();
        var responder = new DnsResponder(names, new DnsForwarder(TimeSpan.FromMilliseconds(300)));
        var known = await responder.RespondAsync("c1", DnsMessage.Query(1, "web", DnsMessage.TypeA), CancellationToken.None);
        Assert.Equal(1, DnsMessage.AnswerCount(known));
        var aaaa = await responder.RespondAsync("c1", DnsMessage.Query(2, "web", DnsMessage.TypeAaaa), CancellationToken.None);
        Assert.Equal((DnsMessage.RcodeNoError, 0), (DnsMessage.Rcode(aaaa), DnsMessage.AnswerCount(aaaa)));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var unknown = await responder.RespondAsync("c1", DnsMessage.Query(3, "nowhere.invalid", DnsMessage.TypeA), CancellationToken.None);
        Assert.Equal(DnsMessage.RcodeServFail, DnsMessage.Rcode(unknown));
        // A second lookup does not wait for the dead upstream again.
        clock.Restart();
        await responder.RespondAsync("c1", DnsMessage.Query(4, "again.invalid", DnsMessage.TypeA), CancellationToken.None);
        Assert.True(clock.ElapsedMilliseconds < 200, $"took {clock.ElapsedMilliseconds} ms");
    }

    private sealed class StaticNames : IDnsNames
    {
        public IReadOnlyList<uint>? Lookup(string askingContainerId, string name) => name == "web" ? [Ipv4.Parse("10.0.0.2")] : null;

        public string? Reverse(string askingContainerId, uint address) => null;

        // A loopback port nobody listens on: the forwarder sees ECONNREFUSED or a timeout, either way no answer.
        public IReadOnlyList<IPEndPoint> Upstreams(string askingContainerId) => [new IPEndPoint(IPAddress.Loopback, 9)];
    }
}

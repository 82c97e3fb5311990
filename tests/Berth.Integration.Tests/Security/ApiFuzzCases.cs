using System.Text;

namespace Berth.Integration.Tests.Security;

/// <summary>One hostile request: its bytes, whether it is complete (so an answer is owed) and how to send it.</summary>
internal sealed record FuzzRequest(string Label, byte[] Bytes, bool Complete, bool Allow501 = false);

/// <summary>
/// Seeded generators of malformed Engine API requests: random bytes, broken HTTP framing, oversized heads, JSON bodies
/// that are cut, retyped, nested or stuffed for the create/exec/network/volume/update endpoints, garbage build contexts,
/// and bad query values. Targets: <paramref name="created"/> (a created container), <paramref name="running"/> (one
/// running <c>sleep</c>, for exec create) and unique names so anything that does get created can be found and removed.
/// Requests that could start work without end (follow, stream, wait, events, pulls) are never generated.
/// </summary>
internal sealed class ApiFuzzCases(int seed, string created, string running, string marker)
{
    private static readonly string[] WrongValues =
    [
        "null", "true", "0", "-1", "1e400", "9223372036854775808", "-9223372036854775809", "1.5", "\"\"", "\"x\"", "[]", "{}",
        "[1,\"a\",null]", "{\"a\":{\"b\":[]}}", "\"\\u0000\"", "\"\\ud800\"", "\"" + new string('a', 5000) + "\"",
    ];

    private readonly Random _r = new(seed);

    private string[] Templates => [
        $$$$$"""{"Image":"busybox","Cmd":["true"],"Env":["A=1"],"Labels":{"fz":"{{{{{marker}}}}}"},"ExposedPorts":{"80/tcp":{}},"Healthcheck":{"Test":["CMD","true"],"Interval":1000000000},"HostConfig":{"Memory":0,"CpuShares":2,"PortBindings":{"80/tcp":[{"HostIp":"127.0.0.1","HostPort":"0"}]},"RestartPolicy":{"Name":"no","MaximumRetryCount":0},"Ulimits":[{"Name":"nofile","Soft":10,"Hard":10}],"LogConfig":{"Type":"json-file","Config":{}},"Mounts":[{"Type":"tmpfs","Target":"/t"}]},"NetworkingConfig":{"EndpointsConfig":{}}}""",
        """{"Cmd":["true"],"AttachStdout":true,"AttachStderr":true,"Env":["A=1"],"User":"root","WorkingDir":"/","Tty":false,"ConsoleSize":[10,10]}""",
        $$$$$"""{"Name":"fzn-{{{{{marker}}}}}","Driver":"bridge","Internal":true,"IPAM":{"Driver":"default","Config":[{"Subnet":"10.254.{{{{{seed % 200}}}}}.0/24","Gateway":"10.254.{{{{{seed % 200}}}}}.1"}]},"Options":{},"Labels":{"fz":"{{{{{marker}}}}}"}}""",
        $$$$$"""{"Name":"fzv-{{{{{marker}}}}}","Driver":"local","DriverOpts":{},"Labels":{"fz":"{{{{{marker}}}}}"}}""",
        """{"Memory":0,"CpuShares":512,"RestartPolicy":{"Name":"no"},"PidsLimit":100}""",
    ];

    private string[] JsonRoutes => [
        $"POST /containers/create?name=fzc-{marker}-{_r.Next(1000)}",
        $"POST /containers/{running}/exec",
        "POST /networks/create",
        "POST /volumes/create",
        $"POST /containers/{created}/update",
    ];

    public FuzzRequest Next(int i) => (i % 6) switch
    {
        0 => RandomBytes(),
        1 => BrokenHttp(),
        2 or 3 => BadJson(),
        4 => BadQuery(),
        _ => _r.Next(4) == 0 ? BadBuild() : BadJson(),
    };

    private FuzzRequest RandomBytes()
    {
        var bytes = new byte[_r.Next(1, 3000)];
        _r.NextBytes(bytes);
        if (_r.Next(2) == 0) bytes = [.. "POST /containers/create HTTP/1.1\r\n"u8.ToArray(), .. bytes];
        return new FuzzRequest("random bytes", bytes, Complete: false, Allow501: true);
    }

    private FuzzRequest BrokenHttp()
    {
        var cases = new (string Text, bool Complete, bool Allow501)[]
        {
            ("GARBAGE\r\n\r\n", true, false),
            ("GET /_ping HTTP/9.9\r\nHost: x\r\n\r\n", true, true),
            ("GET  /_ping  HTTP/1.1\r\nHost: x\r\n\r\n", true, false),
            ("GET /_ping HTTP/1.1\r\nNoColonHere\r\n\r\n", true, false),
            ("GET /_ping HTTP/1.1\r\n: empty-name\r\n\r\n", true, false),
            ($"GET /_ping HTTP/1.1\r\nX-Big: {new string('a', 70_000)}\r\n\r\n", true, false),
            ($"GET /_ping HTTP/1.1\r\n{string.Concat(Enumerable.Range(0, 3000).Select(n => $"X-{n}: {n}\r\n"))}\r\n", true, false),
            ($"GET /{new string('a', 10_000)} HTTP/1.1\r\n\r\n", true, false),
            ("POST /containers/create HTTP/1.1\r\nContent-Length: -1\r\n\r\n", true, false),
            ("POST /containers/create HTTP/1.1\r\nContent-Length: abc\r\n\r\n", true, false),
            ("POST /containers/create HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n", true, false),
            ("POST /containers/create HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello", true, false),
            ("POST /containers/create HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", true, true),
            ("POST /containers/create HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n", true, false),
            ("POST /containers/create HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", true, false),
            ("POST /containers/create HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nffffffffffffffffff\r\n{}\r\n", true, false),
            ("POST /containers/create HTTP/1.1\r\nContent-Length: 100\r\nContent-Type: application/json\r\n\r\n{\"Image\":", false, false),
            ("GET /containers/%zz/json HTTP/1.1\r\n\r\n", true, false),
            ("GET /containers/a%00b/json HTTP/1.1\r\n\r\n", true, false),
            ("GET /v0.1/version HTTP/1.1\r\n\r\n", true, false),
            ("GET /v99.99/version HTTP/1.1\r\n\r\n", true, false),
            ("GET /vx.y/version HTTP/1.1\r\n\r\n", true, false),
            ("GET http://x/_ping HTTP/1.1\r\n\r\n", true, false),
            ("GET /containers/json?filters=%7B%22status%22%3A HTTP/1.1\r\n\r\n", true, false),
            ("GET /_ping HTTP/1.1\r\nHost: x\r\n", false, false),
            ("POST /containers/create HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n", false, false),
        };
        var (text, complete, allow501) = cases[_r.Next(cases.Length)];
        if (complete && !text.Contains("Connection:", StringComparison.Ordinal)) text = text.Replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n", StringComparison.Ordinal);
        return new FuzzRequest("broken http: " + Cut(text), Encoding.UTF8.GetBytes(text), complete, allow501);
    }

    private FuzzRequest BadJson()
    {
        var which = _r.Next(Templates.Length);
        var body = Mutate(Templates[which]);
        var route = JsonRoutes[which];
        return Request(route, "application/json", Encoding.UTF8.GetBytes(body), "bad json: " + route + " " + Cut(body));
    }

    private string Mutate(string json)
    {
        switch (_r.Next(7))
        {
            case 0: return json[.._r.Next(json.Length)];                                                 // cut short
            case 1: return new string('[', 5000) + new string(']', 5000);                               // deep nesting
            case 2: return json.Insert(_r.Next(json.Length), ((char)_r.Next(32, 127)).ToString());       // one stray character
            case 3: return "{" + string.Join(',', Enumerable.Range(0, 2000).Select(n => $"\"K{n}\":{n}")) + "}";
            default:
                // Replace the value after a random key with a value of another type (or the whole body).
                var keys = Keys(json);
                if (keys.Count == 0) return WrongValues[_r.Next(WrongValues.Length)];
                var (start, end) = keys[_r.Next(keys.Count)];
                return json[..start] + WrongValues[_r.Next(WrongValues.Length)] + json[end..];
        }
    }

    /// <summary>Spans of the values that follow each <c>"key":</c> (a scalar, or a bracketed value).</summary>
    private static List<(int Start, int End)> Keys(string json)
    {
        var spans = new List<(int, int)>();
        for (var i = json.IndexOf("\":", StringComparison.Ordinal); i >= 0; i = json.IndexOf("\":", i + 2, StringComparison.Ordinal))
        {
            var start = i + 2;
            var depth = 0;
            var end = start;
            for (; end < json.Length; end++)
            {
                var c = json[end];
                if (c is '{' or '[') depth++;
                else if (c is '}' or ']') { if (depth == 0) break; depth--; if (depth == 0) { end++; break; } }
                else if (c == ',' && depth == 0) break;
            }
            spans.Add((start, end));
        }
        return spans;
    }

    private FuzzRequest BadBuild()
    {
        var body = new byte[_r.Next(0, 4000)];
        _r.NextBytes(body);
        if (_r.Next(2) == 0 && body.Length > 2) { body[0] = 0x1f; body[1] = 0x8b; }   // looks gzipped, is not
        var query = Pick("t=" + Junk(), "dockerfile=" + Junk(), "buildargs=" + Junk(), "labels=" + Junk(), "memory=" + Junk(),
            "shmsize=" + Junk(), "target=" + Junk(), "networkmode=" + Junk(), "cachefrom=" + Junk(), "platform=" + Junk());
        return Request($"POST /build?q=1&{query}", "application/x-tar", body, "bad build: " + query);
    }

    private FuzzRequest BadQuery()
    {
        var v = Junk();
        var route = Pick(
            $"GET /containers/json?all={v}", $"GET /containers/json?limit={v}", $"GET /containers/json?filters={v}",
            $"GET /containers/json?size={v}&since={v}", $"GET /images/json?filters={v}", $"GET /images/json?all={v}&digests={v}",
            $"POST /containers/{created}/stop?t={v}", $"POST /containers/{created}/kill?signal={v}",
            $"GET /containers/{created}/logs?stdout=1&tail={v}", $"GET /containers/{created}/logs?stdout=1&since={v}&until={v}",
            $"GET /containers/{created}/logs?stdout=1&timestamps={v}", $"POST /containers/{created}/resize?h={v}&w={v}",
            $"GET /containers/{created}/top?ps_args={v}", $"GET /containers/{created}/archive?path={v}",
            $"HEAD /containers/{created}/archive?path={v}", $"DELETE /containers/fz-nosuch-{v}?force={v}&v={v}",
            $"GET /containers/{v}/json?size={v}", $"GET /images/{v}/json", $"GET /images/{v}/history",
            $"POST /images/nosuch-{marker}/tag?repo={v}&tag={v}", $"POST /images/create?fromImage=INVALID{v}&tag={v}",
            $"GET /networks?filters={v}", $"GET /networks/{v}", $"GET /volumes?filters={v}", $"GET /volumes/{v}",
            $"POST /containers/prune?filters={v}&until={v}", $"GET /system/df?type={v}", $"GET /events?since=1&until={v}",
            $"POST /containers/{created}/rename?name={v}", $"POST /exec/nosuch{v}/resize?h={v}&w={v}", $"GET /exec/{v}/json",
            $"POST /containers/{created}/attach?stream=0&logs={v}&stdout={v}&detachKeys={v}");
        // Events with an until in the past end at once; a bad until is refused. Either way nothing streams forever.
        if (route.StartsWith("GET /events", StringComparison.Ordinal) && !v.Contains('x')) route = $"GET /events?since=1&until=2&filters={v}";
        return Request(route, null, null, "bad query: " + route);
    }

    private string Junk() => Uri.EscapeDataString(_r.Next(10) switch
    {
        0 => "",
        1 => "-1",
        2 => "99999999999999999999999",
        3 => "1.x",
        4 => "{\"status\":[\"running\"",
        5 => "{\"label\":{\"a\":7}}",
        6 => "../../../../etc/passwd",
        7 => new string('z', 3000),
        8 => "1e999",
        _ => new string(Enumerable.Range(0, _r.Next(1, 20)).Select(_ => (char)_r.Next(1, 0x2FF)).ToArray()),
    });

    private string Pick(params string[] options) => options[_r.Next(options.Length)];

    private static FuzzRequest Request(string route, string? contentType, byte[]? body, string label)
    {
        var space = route.IndexOf(' ', StringComparison.Ordinal);
        var head = new StringBuilder();
        head.Append(route[..space]).Append(' ').Append(route[(space + 1)..]).Append(" HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n");
        if (contentType is not null) head.Append("Content-Type: ").Append(contentType).Append("\r\n");
        head.Append("Content-Length: ").Append(body?.Length ?? 0).Append("\r\n\r\n");
        return new FuzzRequest(label, [.. Encoding.UTF8.GetBytes(head.ToString()), .. body ?? []], Complete: true);
    }

    private static string Cut(string s) => s.Length > 160 ? s[..160] + "…" : s;
}

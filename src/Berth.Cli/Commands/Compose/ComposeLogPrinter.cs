using Berth.Api.Models.Containers;
using Berth.Client;
using Berth.Compose.Engine;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// Compose's log view: each line prefixed with the container's short name (<c>api-1  | </c>), padded to the longest, in a
/// colour per service on a terminal (the rotation docker/compose's <c>formatter/colors.go</c> uses).
/// </summary>
internal sealed class ComposeLogPrinter(TextWriter output, bool colour, bool prefix)
{
    private static readonly string[] Colours = ["36", "33", "32", "35", "34", "36;1", "33;1", "32;1", "35;1", "34;1"];
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _colourByService = new(StringComparer.Ordinal);
    private int _width;

    /// <summary>The short name Compose shows: the container name without the <c>project-</c> prefix.</summary>
    public static string ShortName(string project, ContainerSummary c)
    {
        var name = ProjectQueries.NameOf(c);
        return name.StartsWith(project + ComposeNaming.Separator, StringComparison.Ordinal) ? name[(project.Length + 1)..] : name;
    }

    public void Register(IEnumerable<string> names)
    {
        foreach (var n in names) _width = Math.Max(_width, n.Length);
    }

    public string PrefixFor(string service, string name)
    {
        if (!prefix) return "";
        var padded = name.PadRight(_width) + "  | ";
        if (!colour) return padded;
        lock (_lock)
        {
            if (!_colourByService.TryGetValue(service, out var code)) _colourByService[service] = code = Colours[_colourByService.Count % Colours.Length];
            return $"\u001b[{code}m{padded}\u001b[0m";
        }
    }

    public void Line(string linePrefix, string text)
    {
        lock (_lock)
        {
            output.Write(linePrefix);
            output.WriteLine(text);
            output.Flush();
        }
    }

    /// <summary>Streams one container's logs until it ends (or <paramref name="ct"/> fires when following).</summary>
    public async Task StreamAsync(BerthClient client, ContainerSummary c, string service, string name, bool follow, string? tail, bool timestamps, CancellationToken ct)
    {
        var p = PrefixFor(service, name);
        var inspect = await client.InspectContainerAsync(c.Id, ct);
        var query = Query.Build(("stdout", "1"), ("stderr", "1"), ("follow", Query.Flag(follow)), ("tail", tail ?? "all"), ("timestamps", Query.Flag(timestamps)));
        var outStream = new LinePrefixStream(this, p);
        try
        {
            await using var stream = await client.LogsAsync(c.Id, query, ct);
            if (inspect.Config.Tty) await stream.CopyToAsync(outStream, ct);
            else await StdCopy.CopyAsync(stream, outStream, outStream, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Following ends when the caller stops; what was printed stands.
        }
        catch (IOException) when (ct.IsCancellationRequested)
        {
            // The connection closed under a cancelled follow.
        }
        outStream.Complete();
    }
}

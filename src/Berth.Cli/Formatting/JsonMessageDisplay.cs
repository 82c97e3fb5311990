using System.Globalization;
using System.Text.Json.Nodes;

namespace Berth.Cli.Formatting;

/// <summary>
/// docker's jsonmessage display for pull, push, load and import. On a terminal every layer id owns a line, redrawn in place
/// (cursor up to it, erase, <c>id: Downloading [=====&gt;   ] 12MB/40MB</c>, cursor back down) as its messages arrive; a message
/// without an id starts afresh below. Elsewhere, lines that only carry a byte count are dropped and the rest printed one per line.
/// </summary>
internal sealed class JsonMessageDisplay(TextWriter output, int? terminalFd, Func<int?>? width = null)
{
    private const string Esc = "\u001b[";
    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);

    private bool IsTerminal => terminalFd is not null;

    /// <summary>Shows one message; an <c>errorDetail</c> (or <c>error</c>) is returned for the caller to raise, as docker does.</summary>
    public string? Show(JsonObject msg)
    {
        if (msg.ContainsKey("aux")) return null;
        var error = msg["errorDetail"]?["message"]?.GetValue<string>() ?? msg["error"]?.GetValue<string>();
        var id = msg["id"]?.GetValue<string>() ?? "";
        var progress = msg["progressDetail"] as JsonObject;
        var progressMessage = msg["progress"]?.GetValue<string>() ?? "";
        var diff = 0;
        if (id.Length > 0 && (progress is not null || progressMessage.Length > 0))
        {
            if (!_lines.TryGetValue(id, out var line))
            {
                line = _lines.Count;
                _lines[id] = line;
                if (IsTerminal) output.Write('\n');
            }
            diff = _lines.Count - line;
            if (IsTerminal && diff > 0) output.Write($"{Esc}{diff}A");
        }
        else
        {
            _lines.Clear();   // progress of an earlier operation must not be redrawn
        }
        if (error is not null) return error;
        Display(msg, id, progress, progressMessage);
        if (id.Length > 0 && IsTerminal && diff > 0) output.Write($"{Esc}{diff}B");
        return null;
    }

    private void Display(JsonObject msg, string id, JsonObject? progress, string progressMessage)
    {
        var stream = msg["stream"]?.GetValue<string>() ?? "";
        var status = msg["status"]?.GetValue<string>() ?? "";
        var endl = "";
        var bar = progress is null ? "" : Bar(progress);
        if (IsTerminal && stream.Length == 0 && progress is not null)
        {
            output.Write($"{Esc}2K\r");
            endl = "\r";
        }
        else if (bar.Length > 0)
        {
            return;   // no progress bars off a terminal
        }
        if (id.Length > 0) output.Write($"{id}: ");
        if (progress is not null && IsTerminal) output.Write($"{status} {bar}{endl}");
        else if (progressMessage.Length > 0) output.Write($"{status} {progressMessage}{endl}");
        else if (stream.Length > 0) output.Write($"{stream}{endl}");
        else output.Write($"{status}{endl}\n");
    }

    // JSONProgress.String: a 50-column bar when the terminal is wider than 110 columns, then current/total in decimal units.
    private string Bar(JsonObject p)
    {
        var current = Long(p["current"]);
        var total = Long(p["total"]);
        var units = p["units"]?.GetValue<string>() ?? "";
        if (current <= 0 && total <= 0) return "";
        if (total <= 0) return units.Length == 0 ? HumanUnits.Size(current, 4).PadLeft(8) : $"{current} {units}";
        var percentage = Math.Min((int)((double)current / total * 100) / 2, 50);
        var box = "";
        if ((width?.Invoke() ?? TerminalWidth()) > 110) box = "[" + new string('=', percentage) + ">" + new string(' ', Math.Max(0, 50 - percentage)) + "] ";
        string numbers;
        if (p["hidecounts"]?.GetValue<bool>() == true) numbers = "";
        else if (units.Length == 0) numbers = current > total ? HumanUnits.Size(current, 4).PadLeft(8) : $"{HumanUnits.Size(current, 4),8}/{HumanUnits.Size(total, 4)}";
        else numbers = current > total ? $"{current} {units}" : $"{current}/{total} {units}";
        return box + numbers;
    }

    private int TerminalWidth() => terminalFd is { } fd && Terminal.TerminalInterop.GetSize(fd) is { } size ? size.Width : 200;

    private static long Long(JsonNode? n) => n is JsonValue v && v.TryGetValue<long>(out var l) ? l
        : n is JsonValue d && d.TryGetValue<double>(out var x) ? (long)x : 0;
}

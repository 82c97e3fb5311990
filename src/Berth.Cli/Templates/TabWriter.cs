using System.Text;

namespace Berth.Cli.Templates;

/// <summary>
/// Elastic tabstops with the semantics of Go's text/tabwriter as docker configures it (minwidth 10, tabwidth 1,
/// padding 3, pad with spaces, no flags): a tab ends a cell; a column is aligned over the consecutive lines that have
/// a tab-terminated cell in it; the text after a line's last tab is never padded; a line without any tab ends the
/// block (everything before it is flushed).
/// </summary>
internal sealed class TabWriter(TextWriter output, int minWidth = 10, int padding = 3)
{
    private readonly List<List<Cell>> _lines = [[]];
    private readonly StringBuilder _cell = new();
    private readonly List<int> _widths = [];

    private readonly record struct Cell(string Text, int Width, bool Tab);

    public void Write(string s)
    {
        foreach (var ch in s)
        {
            switch (ch)
            {
                case '\t' or '\v':
                    Terminate(tab: true);
                    break;
                case '\n' or '\f':
                    var cells = Terminate(tab: false);
                    _lines.Add([]);
                    if (cells == 1 || ch == '\f') Flush();
                    break;
                default:
                    _cell.Append(ch);
                    break;
            }
        }
    }

    public void Flush()
    {
        if (_cell.Length > 0) Terminate(tab: false);
        Format(0, _lines.Count);
        _lines.Clear();
        _lines.Add([]);
        _widths.Clear();
    }

    private int Terminate(bool tab)
    {
        var text = _cell.ToString();
        _cell.Clear();
        var line = _lines[^1];
        line.Add(new Cell(text, DisplayWidth(text), tab));
        return line.Count;
    }

    private void Format(int line0, int line1)
    {
        var column = _widths.Count;
        for (var current = line0; current < line1; current++)
        {
            if (column >= _lines[current].Count - 1) continue;
            // This line starts a block of lines that all have a cell in this column.
            WriteLines(line0, current);
            line0 = current;
            var width = minWidth;
            for (; current < line1; current++)
            {
                var line = _lines[current];
                if (column >= line.Count - 1) break;
                width = Math.Max(width, line[column].Width + padding);
            }
            _widths.Add(width);
            Format(line0, current);
            _widths.RemoveAt(_widths.Count - 1);
            line0 = current;
        }
        WriteLines(line0, line1);
    }

    private void WriteLines(int line0, int line1)
    {
        for (var i = line0; i < line1; i++)
        {
            var line = _lines[i];
            for (var j = 0; j < line.Count; j++)
            {
                var c = line[j];
                output.Write(c.Text);
                if (j < _widths.Count) output.Write(new string(' ', Math.Max(0, _widths[j] - c.Width)));
            }
            if (i + 1 < _lines.Count) output.Write('\n');
        }
    }

    /// <summary>Terminal columns: East Asian wide and fullwidth characters take two (as go-runewidth counts them).</summary>
    internal static int DisplayWidth(string s)
    {
        var w = 0;
        for (var i = 0; i < s.Length; i++)
        {
            int cp = s[i];
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length) cp = char.ConvertToUtf32(s[i], s[++i]);
            w += IsWide(cp) ? 2 : 1;
        }
        return w;
    }

    private static bool IsWide(int cp) =>
        cp is >= 0x1100 and <= 0x115F or >= 0x2E80 and <= 0x303E or >= 0x3041 and <= 0x33FF or >= 0x3400 and <= 0x4DBF
            or >= 0x4E00 and <= 0x9FFF or >= 0xA000 and <= 0xA4CF or >= 0xAC00 and <= 0xD7A3 or >= 0xF900 and <= 0xFAFF
            or >= 0xFE30 and <= 0xFE4F or >= 0xFF00 and <= 0xFF60 or >= 0xFFE0 and <= 0xFFE6 or >= 0x1F300 and <= 0x1F64F
            or >= 0x1F900 and <= 0x1F9FF or >= 0x20000 and <= 0x3FFFD;
}

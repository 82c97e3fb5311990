namespace Berth.Cli.Commands;

/// <summary>Columns padded like Go's tabwriter in docker's tables (minwidth 0, padding 3); the last column is not padded.</summary>
internal static class SimpleTable
{
    public static void Write(TextWriter output, IReadOnlyList<string[]> rows)
    {
        if (rows.Count == 0) return;
        var widths = new int[rows.Max(r => r.Length)];
        foreach (var r in rows)
            for (var i = 0; i < r.Length; i++) widths[i] = Math.Max(widths[i], r[i].Length);
        foreach (var r in rows)
        {
            var line = string.Concat(r.Select((c, i) => i == r.Length - 1 ? c : c.PadRight(widths[i] + 3)));
            output.WriteLine(line.TrimEnd());
        }
    }
}

using System.Text;

namespace Berth.Compose.Loader;

/// <summary>Splits a command string like mattn/go-shellwords (what docker compose uses for string command/entrypoint):
/// whitespace separates words, single quotes are literal, double quotes allow \" \\ \$ escapes, backslash escapes outside quotes.</summary>
internal static class ShellWords
{
    public static List<string> Split(string line)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        char quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote == '\'')
            {
                if (c == '\'') quote = '\0'; else current.Append(c);
                continue;
            }
            if (quote == '"')
            {
                if (c == '"') { quote = '\0'; continue; }
                if (c == '\\' && i + 1 < line.Length && line[i + 1] is '"' or '\\' or '$' or '`' or '\n')
                {
                    current.Append(line[++i]);
                    continue;
                }
                current.Append(c);
                continue;
            }
            switch (c)
            {
                case '\'' or '"':
                    quote = c;
                    inWord = true;
                    break;
                case '\\':
                    if (i + 1 < line.Length) { current.Append(line[++i]); inWord = true; }
                    break;
                case ' ' or '\t' or '\n' or '\r':
                    if (inWord) { words.Add(current.ToString()); current.Clear(); inWord = false; }
                    break;
                default:
                    current.Append(c);
                    inWord = true;
                    break;
            }
        }
        if (quote != '\0') throw new InterpolationException($"invalid command line string: unterminated quote in {line}");
        if (inWord) words.Add(current.ToString());
        return words;
    }
}

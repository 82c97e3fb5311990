using System.Text;
using System.Text.Json;
using Berth.Api.Models.Containers;
using Berth.Core.Errors;

namespace Berth.Services.Images;

/// <summary>
/// <c>docker commit --change</c>: Dockerfile instructions applied to the committed config (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL,
/// ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR; the set moby's <c>BuildFromConfig</c> accepts).
/// </summary>
internal static class CommitChanges
{
    public static void Apply(ContainerConfig config, IReadOnlyList<string> changes)
    {
        foreach (var change in changes.SelectMany(c => c.Split('\n')))
        {
            var trimmed = change.Trim();
            if (trimmed.Length == 0) continue;
            var space = trimmed.IndexOfAny([' ', '\t']);
            var keyword = (space < 0 ? trimmed : trimmed[..space]).ToUpperInvariant();
            var rest = space < 0 ? "" : trimmed[(space + 1)..].Trim();
            switch (keyword)
            {
                case "CMD": config.Cmd = CommandForm(rest); break;
                case "ENTRYPOINT": config.Entrypoint = CommandForm(rest); break;
                case "ENV":
                    config.Env ??= [];
                    foreach (var (k, v) in KeyValues(rest))
                    {
                        config.Env.RemoveAll(e => e == k || e.StartsWith(k + "=", StringComparison.Ordinal));
                        config.Env.Add($"{k}={v}");
                    }
                    break;
                case "LABEL":
                    config.Labels ??= [];
                    foreach (var (k, v) in KeyValues(rest)) config.Labels[k] = v;
                    break;
                case "EXPOSE":
                    config.ExposedPorts ??= [];
                    foreach (var p in rest.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                        config.ExposedPorts[p.Contains('/', StringComparison.Ordinal) ? p : p + "/tcp"] = new EmptyObject();
                    break;
                case "VOLUME":
                    config.Volumes ??= [];
                    foreach (var v in rest.StartsWith('[') ? CommandForm(rest) : [.. rest.Split(' ', StringSplitOptions.RemoveEmptyEntries)]) config.Volumes[v] = new EmptyObject();
                    break;
                case "WORKDIR": config.WorkingDir = rest; break;
                case "USER": config.User = rest; break;
                case "STOPSIGNAL": config.StopSignal = rest; break;
                case "ONBUILD": (config.OnBuild ??= []).Add(rest); break;
                default: throw new InvalidArgumentException($"{keyword} is not a valid change command");
            }
        }
    }

    private static List<string> CommandForm(string rest)
    {
        if (rest.StartsWith('['))
        {
            try
            {
                if (JsonSerializer.Deserialize(rest, ServicesJsonContext.Default.ListString) is { } list) return list;
            }
            catch (JsonException)
            {
                // Not JSON after all: Docker falls back to the shell form.
            }
        }
        return ["/bin/sh", "-c", rest];
    }

    /// <summary><c>a=1 "b"="two words"</c>, or the legacy <c>KEY value with spaces</c>.</summary>
    internal static List<(string Key, string Value)> KeyValues(string rest)
    {
        var words = Words(rest);
        if (words.Count > 0 && !words[0].Contains('=', StringComparison.Ordinal))
        {
            var sp = rest.IndexOfAny([' ', '\t']);
            return sp < 0 ? [(rest, "")] : [(rest[..sp], rest[(sp + 1)..].Trim())];
        }
        var result = new List<(string, string)>();
        foreach (var w in words)
        {
            var eq = w.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw new InvalidArgumentException($"invalid key=value pair: {w}");
            result.Add((w[..eq], w[(eq + 1)..]));
        }
        return result;
    }

    private static List<string> Words(string s)
    {
        var words = new List<string>();
        var sb = new StringBuilder();
        char? quote = null;
        var any = false;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (quote is null && char.IsWhiteSpace(c))
            {
                if (any) words.Add(sb.ToString());
                sb.Clear();
                any = false;
                continue;
            }
            any = true;
            if (c == '\\' && i + 1 < s.Length && quote != '\'') { sb.Append(s[++i]); continue; }
            if (quote is null && c is '"' or '\'') { quote = c; continue; }
            if (quote == c) { quote = null; continue; }
            sb.Append(c);
        }
        if (any) words.Add(sb.ToString());
        return words;
    }
}

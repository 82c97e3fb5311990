using System.Text.Json;
using Berth.Core.Errors;
using Berth.Storage;

namespace Berth.Services.Images;

/// <summary>
/// The <c>--change</c> instructions of <c>docker import</c> (a Dockerfile subset) turned into image config.
/// Docker accepts CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, USER, VOLUME, WORKDIR here.
/// </summary>
internal static class ImportChanges
{
    public static ImageConfigInput Apply(IReadOnlyList<string> changes, string? message)
    {
        List<string>? cmd = null, entrypoint = null, env = null;
        string? workdir = null, user = null;
        Dictionary<string, string>? labels = null;
        foreach (var change in changes)
        {
            var trimmed = change.Trim();
            if (trimmed.Length == 0) continue;
            var space = trimmed.IndexOfAny([' ', '\t']);
            var keyword = (space < 0 ? trimmed : trimmed[..space]).ToUpperInvariant();
            var rest = space < 0 ? "" : trimmed[(space + 1)..].Trim();
            switch (keyword)
            {
                case "CMD": cmd = CommandForm(rest); break;
                case "ENTRYPOINT": entrypoint = CommandForm(rest); break;
                case "ENV":
                    env ??= [];
                    foreach (var (k, v) in KeyValues(rest)) env.Add($"{k}={v}");
                    break;
                case "LABEL":
                    labels ??= [];
                    foreach (var (k, v) in KeyValues(rest)) labels[k] = v;
                    break;
                case "WORKDIR": workdir = rest; break;
                case "USER": user = rest; break;
                case "EXPOSE" or "VOLUME" or "ONBUILD": break; // accepted; not yet carried into the config
                default: throw new InvalidArgumentException($"{keyword} is not a valid change command");
            }
        }
        return new ImageConfigInput(cmd, entrypoint, env, workdir, user, labels, message);
    }

    private static List<string> CommandForm(string rest)
    {
        if (rest.StartsWith('['))
        {
            try
            {
                var list = JsonSerializer.Deserialize(rest, ServicesJsonContext.Default.ListString);
                if (list is not null) return list;
            }
            catch (JsonException)
            {
                // Not JSON after all: Docker falls back to the shell form.
            }
        }
        return ["/bin/sh", "-c", rest];
    }

    private static IEnumerable<(string Key, string Value)> KeyValues(string rest)
    {
        if (!rest.Contains('=', StringComparison.Ordinal))
        {
            var sp = rest.IndexOf(' ', StringComparison.Ordinal);
            if (sp > 0) yield return (rest[..sp], rest[(sp + 1)..].Trim());
            yield break;
        }
        foreach (var part in rest.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0) yield return (part[..eq], part[(eq + 1)..].Trim('"'));
        }
    }
}

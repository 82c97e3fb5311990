using System.Text.Json.Nodes;

namespace Berth.Cli.Commands;

/// <summary><c>--filter k=v</c> flags as the Go client encodes them: <c>{"k":{"v":true}}</c>.</summary>
internal static class FilterArgs
{
    public static string? ToJson(IEnumerable<string> filters)
    {
        var root = new JsonObject();
        foreach (var f in filters)
        {
            var eq = f.IndexOf('=');
            if (eq <= 0) throw new Parsing.UsageException($"bad format of filter (expected name=value)");
            var key = f[..eq].Trim().ToLowerInvariant();
            if (root[key] is not JsonObject set) root[key] = set = new JsonObject();
            set[f[(eq + 1)..]] = true;
        }
        return root.Count == 0 ? null : root.ToJsonString();
    }
}

using System.Text;
using System.Text.Json.Nodes;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>--secret id=ID[,src=FILE|,env=VAR][,type=file|env]</c> (buildx syntax) read on the client and sent as Berth's
/// <c>X-Berth-Build-Secrets</c> header: base64 of a JSON object from id to base64 content. With neither src nor env, the
/// variable named ID is used when set, else the file named ID, as buildx does.
/// </summary>
internal static class BuildSecrets
{
    public static string? Encode(IReadOnlyList<string> specs, Func<string, string?> env)
    {
        if (specs.Count == 0) return null;
        var obj = new JsonObject();
        foreach (var spec in specs)
        {
            string id = "", src = "", variable = "", type = "";
            foreach (var field in spec.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = field.IndexOf('=', StringComparison.Ordinal);
                if (eq < 0) throw new UsageException($"invalid secret \"{spec}\": expected key=value fields");
                var (key, text) = (field[..eq].Trim().ToLowerInvariant(), field[(eq + 1)..].Trim());
                switch (key)
                {
                    case "id": id = text; break;
                    case "src" or "source": src = text; break;
                    case "env": variable = text; break;
                    case "type": type = text; break;
                    default: throw new UsageException($"unexpected key '{key}' in '{field}'");
                }
            }
            if (type is not ("" or "file" or "env")) throw new UsageException($"unsupported secret type {type}");
            if (id.Length == 0) id = src.Length > 0 ? Path.GetFileName(src) : variable;
            if (id.Length == 0) throw new UsageException($"invalid secret \"{spec}\": no id");
            byte[] value;
            if (type == "env" || (type.Length == 0 && src.Length == 0 && (variable.Length > 0 || env(id) is not null)))
            {
                var name = variable.Length > 0 ? variable : src.Length > 0 ? src : id;
                value = Encoding.UTF8.GetBytes(env(name) ?? throw new UsageException($"secret {id}: environment variable {name} is not set"));
            }
            else
            {
                var path = src.Length > 0 ? src : id;
                try { value = File.ReadAllBytes(path); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new UsageException($"failed to read secret {id} from {path}: {e.Message}");
                }
            }
            obj[id] = Convert.ToBase64String(value);
        }
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(obj.ToJsonString()));
    }
}

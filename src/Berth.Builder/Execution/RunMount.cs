using System.Globalization;

namespace Berth.Builder.Execution;

/// <summary>
/// <c>RUN --mount=…</c> beyond the classic builder: <c>type=cache</c> (a directory kept across builds, keyed by <c>id</c> or the
/// target) and <c>type=tmpfs</c>. Neither ends up in the layer: the container's changes there go to the mount, not its root.
/// </summary>
internal sealed record RunMount(string Type, string Target, string Id, string? Size, int? Uid, int? Gid, string? Mode)
{
    public static RunMount Parse(string spec)
    {
        string type = "bind", target = "", id = "";
        string? size = null, mode = null;
        int? uid = null, gid = null;
        foreach (var field in spec.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = field.IndexOf('=', StringComparison.Ordinal);
            var key = (eq < 0 ? field : field[..eq]).Trim().ToLowerInvariant();
            var value = eq < 0 ? "" : field[(eq + 1)..].Trim();
            switch (key)
            {
                case "type": type = value; break;
                case "target" or "dst" or "destination": target = value; break;
                case "id": id = value; break;
                case "size": size = value; break;
                case "mode": mode = value; break;
                case "uid": uid = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "gid": gid = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "sharing" or "readonly" or "ro" or "rw" or "readwrite": break;   // one builder at a time shares nothing it could race on
                default: throw new BuildFailedException($"unsupported --mount option {key} in \"{spec}\"");
            }
        }
        if (type is not ("cache" or "tmpfs"))
            throw new BuildFailedException($"RUN --mount=type={type} is not supported by this builder (supported: cache, tmpfs)");
        if (target.Length == 0) throw new BuildFailedException($"mount target is required in \"{spec}\"");
        return new RunMount(type, target, id.Length > 0 ? id : target, size, uid, gid, mode);
    }
}

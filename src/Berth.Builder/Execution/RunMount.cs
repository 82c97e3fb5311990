using System.Globalization;

namespace Berth.Builder.Execution;

/// <summary>
/// <c>RUN --mount=…</c> beyond the classic builder: <c>type=cache</c> (a directory kept across builds, keyed by <c>id</c> or the
/// target), <c>type=tmpfs</c> and <c>type=secret</c> (a file from <c>--secret id=…</c>, mounted read-only for that RUN only).
/// None ends up in the layer: the container's changes there go to the mount, not its root.
/// </summary>
internal sealed record RunMount(string Type, string Target, string Id, string? Size, int? Uid, int? Gid, string? Mode, bool Required = false)
{
    public static RunMount Parse(string spec)
    {
        string type = "bind", target = "", id = "";
        string? size = null, mode = null;
        int? uid = null, gid = null;
        var required = false;
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
                case "required": required = eq < 0 || bool.Parse(value); break;
                case "sharing" or "readonly" or "ro" or "rw" or "readwrite": break;   // one builder at a time shares nothing it could race on
                default: throw new BuildFailedException($"unsupported --mount option {key} in \"{spec}\"");
            }
        }
        if (type is not ("cache" or "tmpfs" or "secret"))
            throw new BuildFailedException($"RUN --mount=type={type} is not supported by this builder (supported: cache, tmpfs, secret)");
        if (mode is not null && (mode.Length == 0 || mode.Any(c => c is < '0' or > '7')))
            throw new BuildFailedException($"invalid mode \"{mode}\" in \"{spec}\": it should be octal");
        if (type == "secret")
        {
            // BuildKit: the id defaults to the target's file name, the target to /run/secrets/<id>.
            if (id.Length == 0) id = Path.GetFileName(target);
            if (id.Length == 0) throw new BuildFailedException($"secret mount needs an id or a target in \"{spec}\"");
            if (target.Length == 0) target = "/run/secrets/" + id;
            return new RunMount(type, target, id, null, uid, gid, mode, required);
        }
        if (target.Length == 0) throw new BuildFailedException($"mount target is required in \"{spec}\"");
        return new RunMount(type, target, id.Length > 0 ? id : target, size, uid, gid, mode);
    }
}

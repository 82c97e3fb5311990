using System.Globalization;

namespace Berth.Builder.Execution;

/// <summary>
/// <c>RUN --mount=…</c> beyond the classic builder: <c>type=cache</c> (a directory kept across builds, keyed by <c>id</c> or the
/// target), <c>type=tmpfs</c>, <c>type=secret</c> (a file from <c>--secret id=…</c>, mounted read-only for that RUN only) and
/// <c>type=bind</c> (the default type: <c>source</c> from the build context or <c>from</c> a stage or image, read-only unless
/// <c>rw</c>, and then its writes are thrown away). None ends up in the layer: the container's changes there go to the
/// mount, not its root. Bind errors are worded as BuildKit's (frontend/dockerfile/instructions/commands_runmount.go parseMount).
/// </summary>
internal sealed record RunMount(string Type, string Target, string Id, string? Size, int? Uid, int? Gid, string? Mode, bool Required = false)
{
    /// <summary>For a bind: the path inside what is bound ("" for its root).</summary>
    public string Source { get; init; } = "";

    /// <summary>For a bind: a stage name or index, or an image; "" for the build context.</summary>
    public string From { get; init; } = "";

    /// <summary>For a bind: <c>rw</c>/<c>readwrite</c> given; BuildKit binds read-only by default.</summary>
    public bool ReadWrite { get; init; }

    public static RunMount Parse(string spec)
    {
        string type = "bind", target = "", id = "", source = "", from = "";
        string? size = null, mode = null, sharing = null;
        int? uid = null, gid = null;
        var required = false;
        bool? readWrite = null;
        var requiredGiven = false;
        foreach (var field in spec.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = field.IndexOf('=', StringComparison.Ordinal);
            var key = (eq < 0 ? field : field[..eq]).Trim().ToLowerInvariant();
            var value = eq < 0 ? "" : field[(eq + 1)..].Trim();
            if (eq < 0 && key is not ("readonly" or "ro" or "readwrite" or "rw" or "required"))
                throw new BuildFailedException($"invalid field '{field}' must be a key=value pair");
            switch (key)
            {
                case "type": type = value.ToLowerInvariant(); break;
                case "target" or "dst" or "destination": target = value; break;
                case "source" or "src": source = value; break;
                case "from": from = value; break;
                case "id": id = value; break;
                case "size": size = value; break;
                case "mode": mode = value; break;
                case "uid": uid = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "gid": gid = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "required": required = eq < 0 || ParseBool(key, value); requiredGiven = true; break;
                case "readonly" or "ro": readWrite = !(eq < 0 || ParseBool(key, value)); break;
                case "readwrite" or "rw": readWrite = eq < 0 || ParseBool(key, value); break;
                case "sharing": sharing = value; break;   // one builder at a time shares nothing it could race on
                default: throw new BuildFailedException($"unexpected key '{key}' in '{field}'");
            }
        }
        if (type == "ssh") throw new BuildFailedException("RUN --mount=type=ssh is not supported by this builder");
        if (type is not ("bind" or "cache" or "tmpfs" or "secret")) throw new BuildFailedException($"unsupported mount type \"{type}\"");
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
        if (type == "bind") return ParseBind(target, source, from, size, mode, uid, gid, requiredGiven, sharing, readWrite ?? false);
        if (target.Length == 0) throw new BuildFailedException($"mount target is required in \"{spec}\"");
        return new RunMount(type, target, id.Length > 0 ? id : target, size, uid, gid, mode);
    }

    private static RunMount ParseBind(string target, string source, string from, string? size, string? mode, int? uid, int? gid, bool requiredGiven,
        string? sharing, bool readWrite)
    {
        if (requiredGiven) throw new BuildFailedException("unexpected key 'required' for mount type 'bind'");
        if (size is not null) throw new BuildFailedException("unexpected key 'size' for mount type 'bind'");
        if (mode is not null) throw new BuildFailedException("mode not allowed for \"bind\" type mounts");
        if (uid is not null) throw new BuildFailedException("uid not allowed for \"bind\" type mounts");
        if (gid is not null) throw new BuildFailedException("gid not allowed for \"bind\" type mounts");
        if (sharing is not null) throw new BuildFailedException("invalid cache sharing set for bind mount");
        return new RunMount("bind", target, "", null, null, null, null) { Source = source, From = from, ReadWrite = readWrite };
    }

    private static bool ParseBool(string key, string value) => value switch
    {
        // Go's strconv.ParseBool.
        "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
        "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
        _ => throw new BuildFailedException($"invalid value for {key}: {value}"),
    };

    /// <summary>The literal <c>from=</c> of a mount spec ("" without one): the stage it needs built first.</summary>
    public static string FromOf(string raw)
    {
        foreach (var field in raw.Split(','))
        {
            var eq = field.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && field[..eq].Trim().Equals("from", StringComparison.OrdinalIgnoreCase)) return field[(eq + 1)..].Trim();
        }
        return "";
    }

    /// <summary>BuildKit reads <c>from</c> before expanding variables: a stage is named literally.</summary>
    public static void CheckFromNotExpanded(string raw)
    {
        var value = FromOf(raw);
        var dollar = value.IndexOf('$', StringComparison.Ordinal);
        if (dollar >= 0 && dollar != value.Length - 1) throw new BuildFailedException("'from' doesn't support variable expansion, define alias stage instead");
    }
}

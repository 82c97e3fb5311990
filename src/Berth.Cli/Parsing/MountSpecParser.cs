using Berth.Api.Models.Containers;

namespace Berth.Cli.Parsing;

/// <summary><c>--mount type=bind,source=/a,target=/b,readonly</c> (CSV of key=value, keys as docker accepts them).</summary>
internal static class MountSpecParser
{
    public static MountSpec Parse(string spec)
    {
        var m = new MountSpec { Type = "volume" };
        foreach (var field in spec.Split(','))
        {
            var eq = field.IndexOf('=');
            var key = (eq < 0 ? field : field[..eq]).Trim().ToLowerInvariant();
            var value = eq < 0 ? "" : field[(eq + 1)..];
            switch (key)
            {
                case "type": m.Type = value; break;
                case "source" or "src": m.Source = value; break;
                case "target" or "destination" or "dst": m.Target = value; break;
                case "readonly" or "ro": m.ReadOnly = eq < 0 || value is "true" or "1"; break;
                case "consistency": m.Consistency = value; break;
                case "bind-propagation": (m.BindOptions ??= new BindOptions()).Propagation = value; break;
                case "volume-nocopy": (m.VolumeOptions ??= new VolumeOptions()).NoCopy = eq < 0 || value == "true"; break;
                case "volume-subpath": (m.VolumeOptions ??= new VolumeOptions()).Subpath = value; break;
                case "tmpfs-size": (m.TmpfsOptions ??= new TmpfsOptions()).SizeBytes = Units.RamInBytes(value); break;
                case "tmpfs-mode": (m.TmpfsOptions ??= new TmpfsOptions()).Mode = Convert.ToInt32(value, 8); break;
                default: throw new UsageException($"invalid field '{key}' must be a key=value pair");
            }
        }
        if (string.IsNullOrEmpty(m.Target)) throw new UsageException("target is required");
        return m;
    }
}

namespace Berth.Cli.Parsing;

/// <summary>
/// A pflag-like parser: <c>--name value</c>, <c>--name=value</c>, <c>-n value</c>, <c>-nvalue</c>, combined short
/// flags (<c>-dit</c>, <c>-it</c>, <c>-ePATH=x</c>), <c>--</c>. With <paramref name="stopAtFirstPositional"/> (run, create,
/// exec) everything from the first positional on is positional, so <c>run busybox echo -d</c> keeps <c>-d</c>.
/// </summary>
internal static class ArgParser
{
    public static ParsedArgs Parse(IReadOnlyList<string> args, IReadOnlyList<OptionSpec> specs, bool stopAtFirstPositional = false)
    {
        var result = new ParsedArgs();
        var byLong = new Dictionary<string, OptionSpec>(StringComparer.Ordinal);
        var byShort = new Dictionary<char, OptionSpec>();
        foreach (var s in specs)
        {
            byLong[s.Long] = s;
            foreach (var a in s.Aliases) byLong[a] = s;
            if (s.Short is { } c) byShort[c] = s;
        }
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                result.Positionals.AddRange(args.Skip(i + 1));
                break;
            }
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var eq = arg.IndexOf('=');
                var name = eq > 0 ? arg[2..eq] : arg[2..];
                if (!byLong.TryGetValue(name, out var spec)) throw new UsageException($"unknown flag: --{name}");
                if (spec.TakesValue)
                {
                    if (eq > 0) result.Add(spec.Long, arg[(eq + 1)..]);
                    else if (i + 1 < args.Count) result.Add(spec.Long, args[++i]);
                    else throw new UsageException($"flag needs an argument: --{name}");
                }
                else result.Add(spec.Long, eq > 0 ? arg[(eq + 1)..] : "true");
                continue;
            }
            if (arg.Length > 1 && arg[0] == '-')
            {
                for (var j = 1; j < arg.Length; j++)
                {
                    if (!byShort.TryGetValue(arg[j], out var spec)) throw new UsageException($"unknown shorthand flag: '{arg[j]}' in {arg}");
                    if (!spec.TakesValue)
                    {
                        if (j + 1 < arg.Length && arg[j + 1] == '=')
                        {
                            result.Add(spec.Long, arg[(j + 2)..]);
                            break;
                        }
                        result.Add(spec.Long, "true");
                        continue;
                    }
                    var rest = arg[(j + 1)..];
                    if (rest.StartsWith('=')) rest = rest[1..];
                    if (rest.Length > 0) result.Add(spec.Long, rest);
                    else if (i + 1 < args.Count) result.Add(spec.Long, args[++i]);
                    else throw new UsageException($"flag needs an argument: '{arg[j]}' in -{arg[j]}");
                    break;
                }
                continue;
            }
            result.Positionals.Add(arg);
            if (stopAtFirstPositional)
            {
                result.Positionals.AddRange(args.Skip(i + 1));
                break;
            }
        }
        return result;
    }
}

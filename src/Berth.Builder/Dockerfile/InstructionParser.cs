using System.Globalization;
using System.Text.RegularExpressions;
using Berth.Api.Models.Containers;

namespace Berth.Builder.Dockerfile;

/// <summary>
/// Turns the parse tree into stages of typed instructions, with BuildKit's argument checks and messages
/// (<c>instructions/parse.go</c>). Errors name the line: "dockerfile parse error on line N: …".
/// </summary>
public static partial class InstructionParser
{
    [GeneratedRegex("^[a-z][a-z0-9-_.]*$")]
    private static partial Regex StageName();

    [GeneratedRegex(@"(?i)^\s*ONBUILD\s*")]
    private static partial Regex OnbuildPrefix();

    /// <summary>Parses Dockerfile text into stages.</summary>
    public static DockerfileDocument Parse(string text)
    {
        var result = DockerfileParser.Parse(text);
        var metaArgs = new List<ArgInstruction>();
        var stages = new List<Stage>();
        foreach (var node in result.Root.Children)
        {
            var keyword = node.Value.ToLowerInvariant();
            try
            {
                if (keyword == "from")
                {
                    stages.Add(ParseFrom(node));
                    continue;
                }
                var instruction = ParseInstruction(node);
                if (stages.Count == 0)
                {
                    if (instruction is ArgInstruction arg)
                    {
                        metaArgs.Add(arg);
                        continue;
                    }
                    throw new InvalidOperationException("no build stage in current context");
                }
                stages[^1].Commands.Add(instruction);
            }
            catch (InvalidOperationException ex)
            {
                throw new DockerfileParseException(ex.Message, node.StartLine);
            }
        }
        return new DockerfileDocument(metaArgs, stages, result.EscapeToken, result.Warnings);
    }

    /// <summary>Parses one instruction node (also used for ONBUILD triggers). Throws InvalidOperationException.</summary>
    public static Instruction ParseInstruction(Node node)
    {
        var args = node.Args();
        var flags = new BuilderFlags(node.Flags);
        var code = node.Original.Trim();
        var keyword = node.Value.ToUpperInvariant();
        var line = node.StartLine;
        switch (keyword)
        {
            case "ENV":
                flags.Parse();
                return new EnvInstruction { Keyword = keyword, Code = code, Line = line, Pairs = ParseKvps(args, "ENV") };
            case "LABEL":
                flags.Parse();
                return new LabelInstruction { Keyword = keyword, Code = code, Line = line, Pairs = ParseKvps(args, "LABEL") };
            case "MAINTAINER":
                if (args.Count != 1) throw new InvalidOperationException("MAINTAINER requires exactly one argument");
                flags.Parse();
                return new MaintainerInstruction { Keyword = keyword, Code = code, Line = line, Maintainer = args[0] };
            case "ADD" or "COPY":
                return ParseCopy(node, args, flags, keyword == "ADD", code);
            case "FROM":
                throw new InvalidOperationException("FROM isn't allowed as an ONBUILD trigger");
            case "ONBUILD":
                {
                    if (args.Count == 0) throw new InvalidOperationException("ONBUILD requires at least one argument");
                    flags.Parse();
                    var trigger = args[0].Trim().ToUpperInvariant();
                    if (trigger == "ONBUILD") throw new InvalidOperationException("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
                    if (trigger is "MAINTAINER" or "FROM") throw new InvalidOperationException($"{trigger} isn't allowed as an ONBUILD trigger");
                    var expression = OnbuildPrefix().Replace(node.Original, "");
                    foreach (var doc in node.Heredocs) expression += "\n" + doc.Content + doc.Name;
                    return new OnbuildInstruction { Keyword = keyword, Code = code, Line = line, Expression = expression };
                }
            case "WORKDIR":
                if (args.Count != 1) throw new InvalidOperationException("WORKDIR requires exactly one argument");
                flags.Parse();
                return new WorkdirInstruction { Keyword = keyword, Code = code, Line = line, Path = args[0] };
            case "RUN":
                {
                    flags.Strings("mount").String("network").String("security").Strings("device");
                    flags.Parse();
                    return new RunInstruction
                    {
                        Keyword = keyword,
                        Code = code,
                        Line = line,
                        CommandLine = JsonArgs(args, node.IsJson),
                        PrependShell = !node.IsJson,
                        Files = [.. node.Heredocs],
                        Mounts = flags.GetStrings("mount"),
                        Network = flags.IsUsed("network") ? flags.GetString("network") : null,
                        Security = flags.IsUsed("security") ? flags.GetString("security") : null,
                        FlagsUsed = [.. flags.Used],
                    };
                }
            case "CMD":
                flags.Parse();
                return new CmdInstruction { Keyword = keyword, Code = code, Line = line, CommandLine = JsonArgs(args, node.IsJson), PrependShell = !node.IsJson };
            case "ENTRYPOINT":
                flags.Parse();
                return new EntrypointInstruction { Keyword = keyword, Code = code, Line = line, CommandLine = JsonArgs(args, node.IsJson), PrependShell = !node.IsJson };
            case "HEALTHCHECK":
                return ParseHealthcheck(node, args, flags, code);
            case "EXPOSE":
                {
                    if (args.Count == 0) throw new InvalidOperationException("EXPOSE requires at least one argument");
                    flags.Parse();
                    var ports = args.ToList();
                    ports.Sort(StringComparer.Ordinal);
                    return new ExposeInstruction { Keyword = keyword, Code = code, Line = line, Ports = ports };
                }
            case "USER":
                if (args.Count != 1) throw new InvalidOperationException("USER requires exactly one argument");
                flags.Parse();
                return new UserInstruction { Keyword = keyword, Code = code, Line = line, User = args[0] };
            case "VOLUME":
                {
                    if (args.Count == 0) throw new InvalidOperationException("VOLUME requires at least one argument");
                    flags.Parse();
                    var volumes = new List<string>();
                    foreach (var v in args)
                    {
                        var t = v.Trim();
                        if (t.Length == 0) throw new InvalidOperationException("VOLUME specified can not be an empty string");
                        volumes.Add(t);
                    }
                    return new VolumeInstruction { Keyword = keyword, Code = code, Line = line, Volumes = volumes };
                }
            case "STOPSIGNAL":
                if (args.Count != 1) throw new InvalidOperationException("STOPSIGNAL requires exactly one argument");
                return new StopSignalInstruction { Keyword = keyword, Code = code, Line = line, Signal = args[0] };
            case "ARG":
                {
                    if (args.Count == 0) throw new InvalidOperationException("ARG requires at least one argument");
                    var defs = new List<ArgDefinition>();
                    foreach (var a in args)
                    {
                        var eq = a.IndexOf('=', StringComparison.Ordinal);
                        if (eq == 0) throw new InvalidOperationException("ARG names can not be blank");
                        defs.Add(eq < 0 ? new ArgDefinition(a, null) : new ArgDefinition(a[..eq], a[(eq + 1)..]));
                    }
                    return new ArgInstruction { Keyword = keyword, Code = code, Line = line, Args = defs };
                }
            case "SHELL":
                {
                    flags.Parse();
                    var shell = JsonArgs(args, node.IsJson);
                    if (shell.Count == 0) throw new InvalidOperationException("SHELL requires at least one argument");
                    if (!node.IsJson) throw new InvalidOperationException($"SHELL requires the arguments to be in JSON form");
                    return new ShellInstruction { Keyword = keyword, Code = code, Line = line, Shell = shell };
                }
            default:
                throw new InvalidOperationException($"unknown instruction: {node.Value}");
        }
    }

    private static Stage ParseFrom(Node node)
    {
        var args = node.Args();
        var name = "";
        if (args.Count == 3 && args[1].Equals("as", StringComparison.OrdinalIgnoreCase))
        {
            name = args[2].ToLowerInvariant();
            if (!StageName().IsMatch(name))
                throw new InvalidOperationException($"invalid name for build stage: {GoFormat.Quote(args[2])}, name can't start with a number or contain symbols");
        }
        else if (args.Count != 1) throw new InvalidOperationException("FROM requires either one or three arguments");
        var flags = new BuilderFlags(node.Flags).String("platform");
        flags.Parse();
        return new Stage { BaseName = args[0], Name = name, Platform = flags.GetString("platform"), Code = node.Original.Trim(), Line = node.StartLine };
    }

    private static List<KeyValue> ParseKvps(List<string> args, string cmd)
    {
        if (args.Count == 0) throw new InvalidOperationException($"{cmd} requires at least one argument");
        if (args.Count % 3 != 0) throw new InvalidOperationException($"Bad input to {cmd}, too many arguments");
        var result = new List<KeyValue>();
        for (var j = 0; j < args.Count; j += 3)
        {
            if (args[j].Length == 0) throw new InvalidOperationException($"{cmd} names can not be blank");
            result.Add(new KeyValue(args[j], args[j + 1], args[j + 2].Length == 0));
        }
        return result;
    }

    private static List<string> JsonArgs(List<string> args, bool json) =>
        args.Count == 0 ? [] : json ? args : [string.Join(' ', args)];

    private static CopyInstruction ParseCopy(Node node, List<string> args, BuilderFlags flags, bool isAdd, string code)
    {
        var name = isAdd ? "ADD" : "COPY";
        if (args.Count < 2)
            throw new InvalidOperationException($"{name} requires at least two arguments, but only one was provided. Destination could not be determined");
        flags.String("chown").String("chmod").Bool("link").Strings("exclude");
        if (isAdd) flags.Bool("keep-git-dir").String("checksum").Bool("unpack");
        else flags.String("from").Bool("parents");
        flags.Parse();
        var dest = args[^1];
        if (DockerfileParser.ParseHeredoc(dest) is not null) throw new InvalidOperationException($"{name} cannot accept a heredoc as a destination");
        var docs = node.Heredocs.ToDictionary(h => h.Name, StringComparer.Ordinal);
        var sources = new List<string>();
        var inline = new List<InlineSource>();
        foreach (var src in args.Take(args.Count - 1))
        {
            if (DockerfileParser.ParseHeredoc(src) is { } h)
            {
                var content = docs.TryGetValue(h.Name, out var d) ? d.Content : "";
                if (h.Chomp) content = DockerfileParser.ChompHeredocContent(content);
                inline.Add(new InlineSource(h.Name, content, h.Expand));
            }
            else sources.Add(src);
        }
        return new CopyInstruction
        {
            Keyword = name,
            Code = code,
            Line = node.StartLine,
            IsAdd = isAdd,
            Sources = sources,
            Inline = inline,
            Dest = dest,
            From = isAdd ? "" : flags.GetString("from"),
            Chown = flags.GetString("chown"),
            Chmod = flags.GetString("chmod"),
            Link = flags.GetBool("link"),
            Parents = !isAdd && flags.GetBool("parents"),
            Excludes = flags.GetStrings("exclude"),
            Checksum = isAdd ? flags.GetString("checksum") : "",
            Unpack = isAdd && flags.IsUsed("unpack") ? flags.GetBool("unpack") : null,
        };
    }

    private static HealthcheckInstruction ParseHealthcheck(Node node, List<string> args, BuilderFlags flags, string code)
    {
        if (args.Count == 0) throw new InvalidOperationException("HEALTHCHECK requires at least one argument");
        var type = args[0].ToUpperInvariant();
        var rest = args.Skip(1).ToList();
        if (type == "NONE")
        {
            if (rest.Count != 0) throw new InvalidOperationException("HEALTHCHECK NONE takes no arguments");
            return new HealthcheckInstruction { Keyword = "HEALTHCHECK", Code = code, Line = node.StartLine, Health = new HealthConfig { Test = ["NONE"] } };
        }
        flags.String("interval").String("timeout").String("start-period").String("start-interval").String("retries");
        flags.Parse();
        if (type != "CMD") throw new InvalidOperationException($"Unknown type \"{args[0].ToUpperInvariant()}\" in HEALTHCHECK (try CMD)");
        var cmd = JsonArgs(rest, node.IsJson);
        if (cmd.Count == 0) throw new InvalidOperationException("Missing command after HEALTHCHECK CMD");
        var health = new HealthConfig
        {
            Test = [node.IsJson ? "CMD" : "CMD-SHELL", .. cmd],
            Interval = Interval(flags, "interval"),
            Timeout = Interval(flags, "timeout"),
            StartPeriod = Interval(flags, "start-period"),
            StartInterval = Interval(flags, "start-interval"),
        };
        var retries = flags.GetString("retries");
        if (retries.Length > 0)
        {
            if (!int.TryParse(retries, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
                throw new InvalidOperationException($"strconv.ParseInt: parsing {GoFormat.Quote(retries)}: invalid syntax");
            if (n < 0) throw new InvalidOperationException($"--retries cannot be negative ({n})");
            health.Retries = n;
        }
        return new HealthcheckInstruction { Keyword = "HEALTHCHECK", Code = code, Line = node.StartLine, Health = health };
    }

    private static long Interval(BuilderFlags flags, string name)
    {
        var s = flags.GetString(name);
        if (s.Length == 0) return 0;
        long d;
        try { d = GoDuration.Parse(s); }
        catch (FormatException ex) { throw new InvalidOperationException(ex.Message); }
        if (d == 0) return 0;
        if (d < 1_000_000) throw new InvalidOperationException($"Interval \"{name}\" cannot be less than 1ms");
        return d;
    }
}

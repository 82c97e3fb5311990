using System.Diagnostics;
using Berth.Builder.Dockerfile;
using FsCheck;
using FsCheck.Fluent;

namespace Berth.Tests.Fuzz;

/// <summary>
/// The Dockerfile parser on hostile text: random strings and BuildKit's own test files mutated (cut, spliced, sprinkled with
/// continuation, quote, heredoc and directive syntax). Parsing to instructions must end quickly, either with a document or
/// with <see cref="DockerfileParseException"/>; nothing else may escape.
/// </summary>
public sealed class DockerfileParserFuzzTests
{
    private const string Special = "\\`\n\r\t \"'$#{}[]=:-<>&|;,/*.@\0";
    private static readonly string[] Tokens =
    [
        "FROM ", "RUN ", "COPY ", "ADD ", "ENV ", "ARG ", "LABEL ", "CMD ", "ENTRYPOINT ", "HEALTHCHECK ", "ONBUILD ", "SHELL ",
        "EXPOSE ", "VOLUME ", "USER ", "WORKDIR ", "STOPSIGNAL ", "MAINTAINER ", "AS ", "--from=", "--chown=", "--mount=",
        "--interval=", "<<EOF\n", "<<-EOF\n", "EOF\n", "# escape=`\n", "# escape=\\\n", "# syntax=x\n", "# check=skip=all\n",
        "\\\n", "[\"a\",", "\"]", "${A:-b}", "${A:+", "$A", "=", " \n", "NONE", "CMD [", "\n\n",
    ];

    private static readonly Lazy<string[]> Seeds = new(() =>
    {
        var root = Path.Combine(AppContext.BaseDirectory, "Builder", "TestData", "dockerfile-parser");
        return [.. Directory.GetFiles(root, "Dockerfile", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(File.ReadAllText)];
    });

    private static Gen<string> Mutated() =>
        from seed in Gen.Elements(Seeds.Value)
        from steps in Gen.Choose(1, 6)
        from ops in Gen.ArrayOf(Gen.Choose(0, 1 << 20), steps * 3)
        from inserts in Gen.ArrayOf(Gen.Elements(Tokens), steps)
        from noise in Gen.ArrayOf(FuzzSettings.StringOf(FuzzSettings.InterestingChar(Special), 8), steps)
        select Mutate(seed, ops, inserts, noise);

    private static string Mutate(string text, int[] ops, string[] inserts, string[] noise)
    {
        for (var i = 0; i < inserts.Length; i++)
        {
            var (op, a, b) = (ops[3 * i] % 6, ops[3 * i + 1], ops[3 * i + 2]);
            var at = text.Length == 0 ? 0 : a % (text.Length + 1);
            var len = text.Length - at == 0 ? 0 : b % Math.Min(64, text.Length - at + 1);
            text = op switch
            {
                0 => text.Remove(at, len),
                1 => text.Insert(at, inserts[i]),
                2 => text.Insert(at, noise[i]),
                3 => text[..at],                                              // truncated
                4 => text.Insert(at, text.Substring(at, len)),                // duplicated run
                _ => text.Insert(at, "\\\n" + inserts[i]),
            };
        }
        return text;
    }

    private static Gen<string> Random() => Gen.OneOf(
        FuzzSettings.StringOf(Gen.Frequency((3, FuzzSettings.InterestingChar(Special)), (1, Gen.Elements(Tokens).SelectMany(t => Gen.Elements(t.ToCharArray())))), 400),
        Gen.ArrayOf(Gen.Elements(Tokens), 30).Select(string.Concat));

    [Fact]
    public void Parse_MutatedBuildKitTestfiles_OnlyParseErrors() =>
        FuzzSettings.CheckWithin(TimeSpan.FromSeconds(60), () =>
            Check.One(FuzzSettings.Config(3000), Prop.ForAll(Arb.From(Mutated()), ParsesOrFailsCleanly)));

    [Fact]
    public void Parse_RandomText_OnlyParseErrors() =>
        FuzzSettings.CheckWithin(TimeSpan.FromSeconds(60), () =>
            Check.One(FuzzSettings.Config(3000), Prop.ForAll(Arb.From(Random()), ParsesOrFailsCleanly)));

    private static bool ParsesOrFailsCleanly(string text)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var doc = InstructionParser.Parse(text);
            foreach (var stage in doc.Stages) _ = stage.Commands.Count;
        }
        catch (DockerfileParseException)
        {
            // The parser's own, clear refusal.
        }
        // Anything else escapes to FsCheck, which shrinks the input and reports it with the exception.
        return clock.Elapsed < TimeSpan.FromSeconds(10);   // a hang, not a slow case on a loaded machine
    }
}

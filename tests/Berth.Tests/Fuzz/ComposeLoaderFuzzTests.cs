using System.Diagnostics;
using Berth.Compose;
using Berth.Tests.Storage;
using FsCheck;
using FsCheck.Fluent;

namespace Berth.Tests.Fuzz;

/// <summary>
/// The Compose loader on hostile YAML: the seed projects cut, spliced and sprinkled with YAML and interpolation syntax,
/// and random text. Loading must end quickly with a project or a <see cref="ComposeException"/>; nothing else escapes.
/// </summary>
public sealed class ComposeLoaderFuzzTests : IDisposable
{
    private const string Special = ":-{}[]|>&*!%@`'\"#,?\n\t ${}\\~";
    private static readonly string[] Tokens =
    [
        "services:\n", "  web:\n", "    image: busybox\n", "    ports:\n      - ", "\"8080:80\"", "    volumes:\n      - ",
        "./x:/y:ro", "    extends:\n      service: web\n", "    depends_on:\n      - web\n", "include:\n  - ", "x-a: &a\n  k: v\n",
        "<<: *a\n", "*a", "&b ", "${A:-b}", "${A:?err}", "${A", "$$", "${}", "profiles: [p]\n", "deploy:\n  replicas: ", "-1",
        "1e999", "networks:\n  n: {}\n", "volumes:\n  v:\n", "!!binary ", "!!python/object ", "? ", "- - -\n", "---\n", "...\n",
        "healthcheck:\n  interval: ", "10q", "env_file: ", "../../../etc/passwd", "build: .\n", "name: ", "UPPER",
    ];

    private readonly TempDir _dir = new();

    private static readonly Lazy<string[]> Seeds = new(() =>
        [.. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Compose", "TestData", "seeds"), "*.yaml").Order(StringComparer.Ordinal).Select(File.ReadAllText)]);

    public void Dispose() => _dir.Dispose();

    private static Gen<string> Mutated() =>
        from seed in Gen.Elements(Seeds.Value)
        from steps in Gen.Choose(1, 6)
        from ops in Gen.ArrayOf(Gen.Choose(0, 1 << 20), steps * 3)
        from inserts in Gen.ArrayOf(Gen.Elements(Tokens), steps)
        from noise in Gen.ArrayOf(FuzzSettings.StringOf(FuzzSettings.InterestingChar(Special), 6), steps)
        select Mutate(seed, ops, inserts, noise);

    private static string Mutate(string text, int[] ops, string[] inserts, string[] noise)
    {
        for (var i = 0; i < inserts.Length; i++)
        {
            var (op, a, b) = (ops[3 * i] % 5, ops[3 * i + 1], ops[3 * i + 2]);
            var at = text.Length == 0 ? 0 : a % (text.Length + 1);
            var len = text.Length - at == 0 ? 0 : b % Math.Min(48, text.Length - at + 1);
            text = op switch
            {
                0 => text.Remove(at, len),
                1 => text.Insert(at, inserts[i]),
                2 => text.Insert(at, noise[i]),
                3 => text[..at],
                _ => text.Insert(at, text.Substring(at, len)),
            };
        }
        return text;
    }

    private static Gen<string> Random() => Gen.OneOf(
        FuzzSettings.StringOf(FuzzSettings.InterestingChar(Special), 300),
        Gen.ArrayOf(Gen.Elements(Tokens), 25).Select(string.Concat),
        Gen.Choose(1, 60).Select(n => "services:\n  a:\n    image: x\n    x: " + string.Concat(Enumerable.Repeat("[", n * 50)) + "\n"));

    [Fact]
    public void Load_MutatedSeeds_OnlyComposeErrors() =>
        FuzzSettings.CheckWithin(TimeSpan.FromSeconds(90), () =>
            Check.One(FuzzSettings.Config(2000), Prop.ForAll(Arb.From(Mutated()), LoadsOrFailsCleanly)));

    [Fact]
    public void Load_RandomText_OnlyComposeErrors() =>
        FuzzSettings.CheckWithin(TimeSpan.FromSeconds(90), () =>
            Check.One(FuzzSettings.Config(2000), Prop.ForAll(Arb.From(Random()), LoadsOrFailsCleanly)));

    private bool LoadsOrFailsCleanly(string yaml)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            ComposeLoader.LoadFromText(yaml, new ComposeLoadOptions
            {
                ProjectName = "fuzz",
                WorkingDirectory = _dir.Path,
                Environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["A"] = "1" },
            });
        }
        catch (ComposeException)
        {
            // The loader's own, worded refusal.
        }
        return clock.Elapsed < TimeSpan.FromSeconds(10);   // a hang, not a slow case on a loaded machine
    }
}

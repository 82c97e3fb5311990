namespace Berth.Cli.Parsing;

/// <summary>One flag: <c>--long</c>, optional <c>-s</c> short form (and extra aliases), and whether it takes a value.</summary>
internal sealed record OptionSpec(string Long, char? Short = null, bool TakesValue = false, params string[] Aliases)
{
    public static OptionSpec Flag(string name, char? shortName = null) => new(name, shortName, false);

    public static OptionSpec Value(string name, char? shortName = null, params string[] aliases) => new(name, shortName, true, aliases);
}

namespace Berth.Services.Containers;

/// <summary>Docker-style random names (<c>adjective_surname</c>) for containers created without <c>--name</c>.</summary>
internal static class NameGenerator
{
    private static readonly string[] Adjectives =
    [
        "admiring", "affectionate", "amazing", "blissful", "bold", "brave", "busy", "charming", "clever", "compassionate",
        "confident", "cool", "dazzling", "determined", "eager", "ecstatic", "elastic", "elegant", "epic", "exciting",
        "fervent", "festive", "focused", "friendly", "gallant", "gifted", "goofy", "gracious", "happy", "hopeful",
        "inspiring", "jolly", "keen", "kind", "laughing", "loving", "lucid", "magical", "modest", "nice",
        "nifty", "optimistic", "peaceful", "practical", "priceless", "quirky", "relaxed", "serene", "sharp", "stoic",
        "sweet", "tender", "trusting", "upbeat", "vibrant", "vigilant", "wizardly", "wonderful", "youthful", "zealous",
    ];

    // Scientists and engineers, in the spirit of Docker's list.
    private static readonly string[] Surnames =
    [
        "albattani", "allen", "archimedes", "babbage", "bardeen", "bartik", "bell", "bohr", "brattain", "curie",
        "darwin", "dijkstra", "einstein", "euclid", "euler", "fermat", "feynman", "franklin", "galileo", "gauss",
        "goldberg", "goodall", "hamilton", "hawking", "hodgkin", "hopper", "hypatia", "johnson", "kepler", "knuth",
        "lamarr", "leakey", "lovelace", "mccarthy", "meitner", "mendel", "morse", "newton", "noether", "pascal",
        "pasteur", "poincare", "ritchie", "sammet", "shannon", "thompson", "tesla", "torvalds", "turing", "wozniak",
    ];

    public static string Next(Func<string, bool> taken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var name = $"{Adjectives[Random.Shared.Next(Adjectives.Length)]}_{Surnames[Random.Shared.Next(Surnames.Length)]}";
            if (attempt > 10) name += Random.Shared.Next(10);
            if (!taken(name)) return name;
        }
    }
}

using Berth.Core.Errors;
using Berth.Core.Ids;
using Berth.Core.Images;
using FsCheck;
using FsCheck.Fluent;

namespace Berth.Tests.Fuzz;

/// <summary>
/// Image references and digests on arbitrary text (only <see cref="InvalidArgumentException"/> may come out of Parse, and
/// TryParse never throws), and valid ones built from the grammar round-trip through both printed forms.
/// </summary>
public sealed class ImageReferenceFuzzTests
{
    private const string Special = "abcz09:/@._-ABCsha256";
    private const string Hex = "0123456789abcdef";

    private static Gen<string> Component() =>
        from parts in Gen.Choose(1, 3)
        from words in Gen.ArrayOf(FuzzSettings.StringOf(Gen.Elements("abcxyz0189".ToCharArray()), 6).Where(w => w.Length > 0), parts)
        from seps in Gen.ArrayOf(Gen.Elements(".", "_", "__", "-", "--"), parts)
        select string.Concat(words.Select((w, i) => i == 0 ? w : seps[i] + w));

    private static Gen<string> Domain() => Gen.Elements("", "localhost/", "localhost:5000/", "registry.example.com/", "10.0.0.1:443/",
        "docker.io/", "index.docker.io/", "my-reg.io:1/");

    private static Gen<string> Tag() =>
        from first in Gen.Elements("aZ09_".ToCharArray())
        from rest in FuzzSettings.StringOf(Gen.Elements("aZ09_.-".ToCharArray()), 20)
        select first + rest;

    private static Gen<string> DigestText(int length = 64) => Gen.ArrayOf(Gen.Elements(Hex.ToCharArray()), length).Select(a => "sha256:" + new string(a));

    private static Gen<string> ValidReference() =>
        from domain in Domain()
        from n in Gen.Choose(1, 3)
        from comps in Gen.ArrayOf(Component(), n)
        from hasTag in Gen.Elements(true, false)
        from tag in Tag()
        from hasDigest in Gen.Elements(false, false, true)
        from digest in DigestText()
        // Without a domain, a first component with a dot names a registry (Docker's splitDockerDomain), and a
        // registry name allows no underscore: such a string is not a path-only reference, so give it a domain.
        let registry = domain.Length == 0 && comps[0].Contains('.') ? "docker.io/" : domain
        select registry + string.Join('/', comps) + (hasTag ? ":" + tag : "") + (hasDigest ? "@" + digest : "");

    private static Gen<string> Hostile() => Gen.OneOf(
        FuzzSettings.StringOf(FuzzSettings.InterestingChar(Special), 300),
        ValidReference().SelectMany(v => Gen.Choose(0, Math.Max(0, v.Length - 1)).SelectMany(at =>
            FuzzSettings.StringOf(FuzzSettings.InterestingChar(Special + "\0 \t\n%"), 4).Select(junk => v.Insert(at, junk)))),
        Gen.Constant(new string('a', 300)),
        Gen.Constant(string.Concat(Enumerable.Repeat("a/", 200)) + "a"));

    [Fact]
    public void ImageReference_HostileText_OnlyInvalidArgument() =>
        FuzzSettings.CheckWithin(TimeSpan.FromSeconds(60), () => Check.One(FuzzSettings.Config(5000), Prop.ForAll(Arb.From(Hostile()), s =>
        {
            var ok = ImageReference.TryParse(s, out var viaTry);
            try
            {
                var parsed = ImageReference.Parse(s);
                return ok && parsed == viaTry;
            }
            catch (InvalidArgumentException e)
            {
                return !ok && e.Message.Length > 0;
            }
        })));

    [Fact]
    public void ImageReference_ValidGrammar_RoundTripsThroughBothForms() =>
        Check.One(FuzzSettings.Config(5000), Prop.ForAll(Arb.From(ValidReference()), s =>
        {
            // Within the length limit the grammar is accepted, and both printed forms parse back to the same reference.
            if (!ImageReference.TryParse(s, out var r)) return s.Split('@')[0].Split(':')[0].Length > 200;
            // docker.io/a.b/c prints as a.b/c, which names registry a.b: the same ambiguity as Docker's FamiliarName.
            var first = r.Path.Split('/')[0];
            var familiarIsAmbiguous = r.Domain == ImageReference.DefaultDomain && r.Path.Contains('/')
                                      && (first.Contains('.') || first.Contains(':') || first == "localhost");
            return ImageReference.Parse(r.FullReference) == r && (familiarIsAmbiguous || ImageReference.Parse(r.ToString()) == r)
                   && r.WithDefaultTag().Tag is not null == (r.Tag is not null || r.Digest is null);
        }));

    [Fact]
    public void Digest_HostileText_OnlyInvalidArgument_ValidOnesRoundTrip()
    {
        var hostile = Gen.OneOf(FuzzSettings.StringOf(FuzzSettings.InterestingChar("sha256512:0123456789abcdefABCDEF"), 140),
            DigestText(63), DigestText(65), DigestText(64).Select(d => d.ToUpperInvariant()), DigestText(64).Select(d => d.Replace("sha256", "sha512")));
        Check.One(FuzzSettings.Config(5000), Prop.ForAll(Arb.From(hostile), s =>
        {
            try
            {
                var d = Digest.Parse(s);
                return Digest.TryParse(s, out var again) && again == d && d.ToString() == s;
            }
            catch (InvalidArgumentException)
            {
                return !Digest.TryParse(s, out _);
            }
        }));
        Check.One(FuzzSettings.Config(2000), Prop.ForAll(Arb.From(DigestText()), s => Digest.Parse(s).ToString() == s));
    }
}

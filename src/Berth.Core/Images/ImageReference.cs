using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Berth.Core.Errors;

namespace Berth.Core.Images;

/// <summary>
/// A normalized image reference, parsed the way Docker's distribution/reference <c>ParseNormalizedNamed</c> does:
/// <c>busybox</c> is <c>docker.io/library/busybox</c>, a first component with a dot, a colon or <c>localhost</c> is a registry.
/// <see cref="Parse"/> does not invent a tag; <see cref="WithDefaultTag"/> adds <c>latest</c> when neither tag nor digest is given.
/// </summary>
public sealed partial record ImageReference(string Domain, string Path, string? Tag, string? Digest)
{
    public const string DefaultDomain = "docker.io";
    public const string DefaultTag = "latest";
    private const string LegacyDefaultDomain = "index.docker.io";
    private const string OfficialRepoPrefix = "library/";
    private const int NameTotalLengthMax = 255;

    /// <summary>docker.io/library/busybox</summary>
    public string FullName => $"{Domain}/{Path}";

    /// <summary>busybox, user/x, localhost:5000/x</summary>
    public string FamiliarName
    {
        get
        {
            if (Domain != DefaultDomain) return FullName;
            return Path.StartsWith(OfficialRepoPrefix, StringComparison.Ordinal) && Path.IndexOf('/', OfficialRepoPrefix.Length) < 0
                ? Path[OfficialRepoPrefix.Length..]
                : Path;
        }
    }

    /// <summary>The full normalized form with tag and digest, as stored in the tag table: docker.io/library/busybox:latest.</summary>
    public string FullReference => FullName + Suffix;

    private string Suffix => (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    /// <summary>The familiar form with tag and digest, e.g. <c>busybox:latest</c>.</summary>
    public override string ToString() => FamiliarName + Suffix;

    public ImageReference WithDefaultTag() => Tag is null && Digest is null ? this with { Tag = DefaultTag } : this;

    public static ImageReference Parse(string s) =>
        TryParse(s, out var r, out var error) ? r : throw new InvalidArgumentException(error);

    public static bool TryParse(string s, [NotNullWhen(true)] out ImageReference? r) => TryParse(s, out r, out _);

    private static bool TryParse(string? s, [NotNullWhen(true)] out ImageReference? r, out string error)
    {
        r = null;
        s ??= "";
        if (AnchoredIdentifier().IsMatch(s))
        {
            error = $"invalid repository name ({s}), cannot specify 64-byte hexadecimal strings";
            return false;
        }

        var (domain, remainder) = SplitDockerDomain(s);
        var colon = remainder.IndexOf(':', StringComparison.Ordinal);
        var remoteName = colon < 0 ? remainder : remainder[..colon];
        if (!remoteName.Equals(remoteName.ToLowerInvariant(), StringComparison.Ordinal))
        {
            error = $"invalid reference format: repository name ({remoteName}) must be lowercase";
            return false;
        }

        var full = domain + "/" + remainder;
        var m = ReferencePattern().Match(full);
        if (!m.Success)
        {
            error = ReferencePattern().IsMatch(full.ToLowerInvariant()) ? "invalid reference format: repository name must be lowercase"
                : "invalid reference format";
            return false;
        }

        var name = m.Groups["name"].Value;
        if (name.Length > NameTotalLengthMax)
        {
            error = $"invalid reference format: repository name must not be more than {NameTotalLengthMax} characters";
            return false;
        }

        var digest = m.Groups["digest"].Success ? m.Groups["digest"].Value : null;
        if (digest is not null && !Ids.Digest.TryParse(digest, out _))
        {
            error = "invalid reference format: invalid digest format";
            return false;
        }

        var slash = name.IndexOf('/', StringComparison.Ordinal);
        r = new ImageReference(name[..slash], name[(slash + 1)..], m.Groups["tag"].Success ? m.Groups["tag"].Value : null, digest);
        error = "";
        return true;
    }

    // distribution/reference normalize.go splitDockerDomain.
    private static (string Domain, string Remainder) SplitDockerDomain(string name)
    {
        string domain, remainder;
        var i = name.IndexOf('/', StringComparison.Ordinal);
        if (i < 0 || (name.AsSpan(0, i).IndexOfAny(".:") < 0 && name[..i] != "localhost" &&
                      name[..i].Equals(name[..i].ToLowerInvariant(), StringComparison.Ordinal)))
        {
            (domain, remainder) = (DefaultDomain, name);
        }
        else
        {
            (domain, remainder) = (name[..i], name[(i + 1)..]);
        }

        if (domain == LegacyDefaultDomain) domain = DefaultDomain;
        if (domain == DefaultDomain && !remainder.Contains('/', StringComparison.Ordinal)) remainder = OfficialRepoPrefix + remainder;
        return (domain, remainder);
    }

    [GeneratedRegex("^[a-f0-9]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex AnchoredIdentifier();

    // distribution/reference regexp.go ReferenceRegexp, with the domain made mandatory (we always prefix one).
    [GeneratedRegex(
        @"^(?<name>(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?" +
        @"/[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*)*)" +
        @"(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(?<digest>[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$",
        RegexOptions.CultureInvariant)]
    private static partial Regex ReferencePattern();
}

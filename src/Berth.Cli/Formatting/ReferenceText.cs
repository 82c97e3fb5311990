namespace Berth.Cli.Formatting;

/// <summary>Image reference helpers: docker's "familiar" form (no <c>docker.io/library/</c>) and splitting for pull.</summary>
internal static class ReferenceText
{
    public static string Familiar(string reference)
    {
        if (reference.StartsWith("docker.io/library/", StringComparison.Ordinal)) return reference["docker.io/library/".Length..];
        if (reference.StartsWith("docker.io/", StringComparison.Ordinal)) return reference["docker.io/".Length..];
        return reference;
    }

    public static string StripDigest(string reference)
    {
        var at = reference.IndexOf('@');
        return at < 0 ? reference : reference[..at];
    }

    /// <summary>Splits <c>alpine</c>, <c>alpine:3</c>, <c>localhost:5000/x:1</c>, <c>x@sha256:…</c> into the fully
    /// qualified repository the CLI sends as <c>fromImage</c> and the tag (or digest) it sends as <c>tag</c>.</summary>
    public static (string Repository, string Tag) Split(string reference)
    {
        string repo, tag;
        var at = reference.IndexOf('@');
        if (at >= 0)
        {
            repo = reference[..at];
            tag = reference[(at + 1)..];
        }
        else
        {
            var slash = reference.LastIndexOf('/');
            var colon = reference.LastIndexOf(':');
            if (colon > slash)
            {
                repo = reference[..colon];
                tag = reference[(colon + 1)..];
            }
            else
            {
                repo = reference;
                tag = "latest";
            }
        }
        return (Qualify(repo), tag);
    }

    /// <summary><c>alpine</c> → <c>docker.io/library/alpine</c>; a first component with a dot, a colon or
    /// <c>localhost</c> is a registry and stays.</summary>
    public static string Qualify(string repo)
    {
        var slash = repo.IndexOf('/');
        if (slash < 0) return "docker.io/library/" + repo;
        var first = repo[..slash];
        if (first.Contains('.') || first.Contains(':') || first == "localhost") return repo;
        return "docker.io/" + repo;
    }

    /// <summary>The familiar name with its tag, as docker prints "Unable to find image 'alpine:latest' locally".</summary>
    public static string FamiliarWithTag(string reference)
    {
        var (repo, tag) = Split(reference);
        return Familiar(repo) + (tag.StartsWith("sha256:", StringComparison.Ordinal) ? "@" : ":") + tag;
    }
}

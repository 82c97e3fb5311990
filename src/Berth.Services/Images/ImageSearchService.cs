using System.Globalization;
using Berth.Api.Models.Images;
using Berth.Core.Errors;
using Berth.Distribution;
using Berth.Distribution.Auth;
using Berth.Distribution.Search;
using Berth.Distribution.Tls;

namespace Berth.Services.Images;

/// <summary>
/// <c>GET /images/search</c> as moby's registry service answers it: the term names the registry (Docker Hub by default), the
/// <c>is-official</c> and <c>stars</c> filters are applied here, <c>is-automated</c> (deprecated) is accepted, true matching nothing.
/// </summary>
public sealed class ImageSearchService(RegistryOptions options, RegistryTransports transports)
{
    private static readonly string[] Accepted = ["is-automated", "is-official", "stars"];

    public async Task<List<ImageSearchResult>> SearchAsync(string term, int limit, IReadOnlyDictionary<string, IReadOnlyList<string>> filters,
        RegistryCredentials? credentials, CancellationToken ct)
    {
        Filters.Validate(filters, Accepted);
        if (BoolFilter(filters, "is-automated") == true) return [];
        var official = BoolFilter(filters, "is-official");
        var minStars = 0;
        foreach (var v in filters.GetValueOrDefault("stars") ?? [])
        {
            if (!int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
                throw new InvalidArgumentException($"invalid filter 'stars={v}': strconv.Atoi: parsing {GoQuote(v)}: invalid syntax");
            minStars = Math.Max(minStars, n);
        }
        if (term.Contains("://", StringComparison.Ordinal))
            throw new InvalidArgumentException($"invalid repository name: repository name ({term}) should not have a scheme");
        var (index, remote) = RegistrySearch.SplitTerm(term);
        var name = RegistryEndpoint.NormalizeName(index);
        RegistryEndpoint endpoint;
        if (name == RegistryEndpoint.DockerHubName)
        {
            remote = remote.StartsWith("library/", StringComparison.Ordinal) ? remote[8..] : remote;   // official images are searched bare
            endpoint = new RegistryEndpoint(name, new Uri(options.DockerHubUrl ?? "https://index.docker.io"));
        }
        else
        {
            endpoint = RegistryEndpoint.Resolve(name, options);
        }
        var found = await RegistrySearch.SearchAsync(transports, endpoint, remote, limit, credentials, ct).ConfigureAwait(false);
        var results = new List<ImageSearchResult>();
        foreach (var r in found.Results)
        {
            if (official is { } o && r.IsOfficial != o) continue;
            if (filters.ContainsKey("stars") && r.StarCount < minStars) continue;
            // moby forces the deprecated is_automated to false so as not to mislead clients.
            results.Add(new ImageSearchResult { Name = r.Name, Description = r.Description, StarCount = r.StarCount, IsOfficial = r.IsOfficial });
        }
        return results;
    }

    // moby's GetBoolOrDefault: one of 1/true or 0/false, not both, not neither.
    private static bool? BoolFilter(IReadOnlyDictionary<string, IReadOnlyList<string>> filters, string key)
    {
        if (!filters.TryGetValue(key, out var values)) return null;
        var isTrue = values.Any(v => v is "1" or "true");
        var isFalse = values.Any(v => v is "0" or "false");
        if (isTrue == isFalse) throw new InvalidArgumentException(values.Count == 0 ? $"invalid filter '{key}'" : $"invalid filter '{key}=[{string.Join(' ', values)}]'");
        return isTrue;
    }

    private static string GoQuote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}

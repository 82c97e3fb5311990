using System.Text.Json.Nodes;
using Berth.Api.Models.Images;
using Berth.Cli.Templates;

namespace Berth.Cli.Formatting;

/// <summary>The fields docker's ImageContext computes for <c>images</c>: one row per repository:tag.</summary>
internal static class ImageRows
{
    public const string DefaultTable = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
    public const string DigestsTable = "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";

    public static JsonObject Header() => new()
    {
        ["ID"] = "IMAGE ID",
        ["Repository"] = "REPOSITORY",
        ["Tag"] = "TAG",
        ["Digest"] = "DIGEST",
        ["CreatedSince"] = "CREATED",
        ["CreatedAt"] = "CREATED AT",
        ["Size"] = "SIZE",
        ["Containers"] = "CONTAINERS",
        ["SharedSize"] = "SHARED SIZE",
        ["UniqueSize"] = "UNIQUE SIZE",
        ["VirtualSize"] = "VIRTUAL SIZE",
    };

    public static TemplateOptions Options() => new() { RootTypeName = "*formatter.ImageContext", RootJsonEscapesHtml = true };

    public static List<JsonObject> Rows(ImageSummary image, bool trunc, DateTimeOffset now)
    {
        var byRepo = new Dictionary<string, (List<string> Tags, List<string> Digests)>(StringComparer.Ordinal);
        var order = new List<string>();
        (List<string>, List<string>) Get(string repo)
        {
            if (!byRepo.TryGetValue(repo, out var e))
            {
                e = ([], []);
                byRepo[repo] = e;
                order.Add(repo);
            }
            return e;
        }
        foreach (var rt in image.RepoTags ?? [])
        {
            var colon = rt.LastIndexOf(':');
            var slash = rt.LastIndexOf('/');
            var (repo, tag) = colon > slash ? (rt[..colon], rt[(colon + 1)..]) : (rt, "<none>");
            Get(repo).Item1.Add(tag);
        }
        foreach (var rd in image.RepoDigests ?? [])
        {
            var at = rd.IndexOf('@');
            if (at > 0) Get(rd[..at]).Item2.Add(rd[(at + 1)..]);
        }
        var rows = new List<JsonObject>();
        if (order.Count == 0)
        {
            rows.Add(Row(image, "<none>", "<none>", "<none>", trunc, now));
            return rows;
        }
        foreach (var repo in order)
        {
            var (tags, digests) = byRepo[repo];
            var digest = digests.FirstOrDefault() ?? "<none>";
            if (tags.Count == 0) rows.Add(Row(image, repo, "<none>", digest, trunc, now));
            foreach (var tag in tags) rows.Add(Row(image, repo, tag, digest, trunc, now));
        }
        return rows;
    }

    private static JsonObject Row(ImageSummary image, string repo, string tag, string digest, bool trunc, DateTimeOffset now)
    {
        var created = DateTimeOffset.FromUnixTimeSeconds(image.Created);
        return new JsonObject
        {
            ["Containers"] = image.Containers < 0 ? "N/A" : image.Containers.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CreatedAt"] = HumanUnits.GoTime(created),
            ["CreatedSince"] = HumanUnits.Duration(now - created) + " ago",
            ["Digest"] = digest,
            ["ID"] = trunc ? HumanUnits.TruncateId(image.Id) : image.Id,
            ["Repository"] = repo,
            ["SharedSize"] = image.SharedSize < 0 ? "N/A" : HumanUnits.Size(image.SharedSize),
            ["Size"] = HumanUnits.Size(image.Size),
            ["Tag"] = tag,
            ["UniqueSize"] = image.SharedSize < 0 ? "N/A" : HumanUnits.Size(image.Size - image.SharedSize),
            ["VirtualSize"] = HumanUnits.Size(image.Size, 4),
        };
    }
}

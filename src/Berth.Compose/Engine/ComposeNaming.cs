using System.Text;

namespace Berth.Compose.Engine;

/// <summary>How Compose v2 names what it creates (docker/compose <c>convergence.go</c>, compose-go <c>project.go</c>).</summary>
public static class ComposeNaming
{
    /// <summary>Separator between project, service and number in container names (<c>api.Separator</c>).</summary>
    public const string Separator = "-";

    /// <summary><c>&lt;project&gt;-&lt;service&gt;-&lt;n&gt;</c>, unless the service sets <c>container_name</c>.</summary>
    public static string ContainerName(string project, string service, int number, string? containerName = null) =>
        !string.IsNullOrEmpty(containerName) ? containerName : $"{project}{Separator}{service}{Separator}{number}";

    /// <summary>A <c>compose run</c> container: <c>&lt;project&gt;-&lt;service&gt;-run-&lt;12 hex&gt;</c>.</summary>
    public static string OneOffName(string project, string service, string slug) =>
        $"{project}{Separator}{service}{Separator}run{Separator}{slug[..Math.Min(12, slug.Length)]}";

    /// <summary>A project network: <c>&lt;project&gt;_&lt;key&gt;</c> (so the implicit one is <c>&lt;project&gt;_default</c>),
    /// unless the network sets <c>name</c>.</summary>
    public static string NetworkName(string project, string key, string? explicitName = null) =>
        !string.IsNullOrEmpty(explicitName) ? explicitName : $"{project}_{key}";

    /// <summary>A project volume: <c>&lt;project&gt;_&lt;key&gt;</c> unless the volume sets <c>name</c>.</summary>
    public static string VolumeName(string project, string key, string? explicitName = null) =>
        !string.IsNullOrEmpty(explicitName) ? explicitName : $"{project}_{key}";

    /// <summary>The image a service without <c>image</c> builds: <c>&lt;project&gt;-&lt;service&gt;</c> (Compose v2).</summary>
    public static string DefaultImageName(string project, string service) => $"{project}{Separator}{service}";

    /// <summary>
    /// compose-go's <c>NormalizeProjectName</c>: lower case, only <c>[a-z0-9_-]</c>, leading characters that are not a
    /// letter or digit dropped.
    /// </summary>
    public static string NormalizeProjectName(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name.ToLowerInvariant())
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-') sb.Append(c);
        }
        var s = sb.ToString();
        return s.TrimStart('_', '-');
    }

    /// <summary>True when <paramref name="name"/> is already a valid project name (compose-go's check for <c>-p</c>/<c>name:</c>).</summary>
    public static bool IsValidProjectName(string name) => name.Length > 0 && NormalizeProjectName(name) == name;
}

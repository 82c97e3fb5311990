namespace Berth.Compose.Loader;

internal static class Paths
{
    /// <summary>Pattern paths use "*" for user-chosen names; for display we keep them as they are.</summary>
    public static string Display(string path) => path;
}

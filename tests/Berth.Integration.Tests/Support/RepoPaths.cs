namespace Berth.Integration.Tests.Support;

/// <summary>Where the published executables are: out/ under the repository root (the folder holding Berth.slnx).</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Berthd => Path.Combine(Root, "out", "berthd");

    public static string Berth => Path.Combine(Root, "out", "berth");

    public static string Monitor => Path.Combine(Root, "out", "berth-monitor");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Berth.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Berth.slnx above {AppContext.BaseDirectory}: cannot find the repository root");
    }
}

namespace Berth.Tests.Runtime;

/// <summary>A theory that needs Docker's reference seccomp profile (shared spec data, not shipped in the repository).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DockerProfileTheoryAttribute : TheoryAttribute
{
    public DockerProfileTheoryAttribute()
    {
        if (!File.Exists(SeccompProfileTests.DockerProfilePath)) Skip = $"requires {SeccompProfileTests.DockerProfilePath}";
    }
}

namespace Berth.Integration.Tests.Support;

/// <summary>A theory that needs root (and optionally some tools); skips locally like <see cref="RootFactAttribute"/>, fails under CI.</summary>
public sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute(params string[] tools)
    {
        var missing = !Environment.IsPrivilegedProcess ? "root" : tools.FirstOrDefault(t => !File.Exists(t));
        if (missing is not null && Environment.GetEnvironmentVariable("CI") != "true") Skip = $"requires {missing}";
    }
}

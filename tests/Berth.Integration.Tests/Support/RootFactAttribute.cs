namespace Berth.Integration.Tests.Support;

/// <summary>A fact that needs root (and optionally some tools). It skips locally with the reason; under CI it runs and fails loudly.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute(params string[] tools)
    {
        var missing = !Environment.IsPrivilegedProcess ? "root" : tools.FirstOrDefault(t => !File.Exists(t));
        if (missing is not null && Environment.GetEnvironmentVariable("CI") != "true") Skip = $"requires {missing}";
    }
}

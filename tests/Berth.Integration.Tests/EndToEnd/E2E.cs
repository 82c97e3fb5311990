using Berth.Integration.Tests.Support;

namespace Berth.Integration.Tests.EndToEnd;

/// <summary>Small shared helpers for the end-to-end tests.</summary>
internal static class E2E
{
    public const string Docker = DaemonFixture.DockerCliPath;

    /// <summary>A container name no other test (or earlier run) uses.</summary>
    public static string UniqueName(string prefix) => $"it-{prefix}-{Guid.NewGuid():N}"[..24];

    public static CommandResult Ok(this CommandResult r, string what)
    {
        Assert.True(r.ExitCode == 0, $"{what} failed: {r}");
        return r;
    }

    /// <summary>Best-effort removal in a finally block: the test's own assertion is the one that matters.</summary>
    public static async Task RemoveQuietlyAsync(this DaemonFixture daemon, string nameOrId)
    {
        try
        {
            await daemon.RunDockerAsync(["rm", "-f", nameOrId], timeout: TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            // The fixture's dispose removes every container and sweeps what is left.
        }
    }

    /// <summary>Polls until the check passes; throws with the last value if it never does.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        T last = await probe();
        while (!done(last) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            last = await probe();
        }

        Assert.True(done(last), $"{what} did not happen within {timeout.TotalSeconds:0} s; last: {last}");
        return last;
    }
}

using System.Globalization;

namespace Berth.Integration.Tests.Stress;

/// <summary>Short by default (CI); BERTH_LONG_TESTS=1 runs the long forms. BERTH_STRESS_SEED replays a crash run.</summary>
internal static class StressMode
{
    public static bool Long => Environment.GetEnvironmentVariable("BERTH_LONG_TESTS") == "1";

    /// <summary>The seed to use: BERTH_STRESS_SEED if set, else a fresh one (printed by the tests so a failure can be replayed).</summary>
    public static int Seed() =>
        int.TryParse(Environment.GetEnvironmentVariable("BERTH_STRESS_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s)
            ? s
            : Random.Shared.Next();

    /// <summary>A count or duration: the short value, or the long one under BERTH_LONG_TESTS=1.</summary>
    public static T Pick<T>(T shortForm, T longForm) => Long ? longForm : shortForm;
}

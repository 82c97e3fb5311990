using FsCheck;
using FsCheck.Fluent;

namespace Berth.Tests.Fuzz;

/// <summary>
/// Case counts for the property tests: a few thousand by default (seconds each), twenty times more with
/// BERTH_LONG_TESTS=1. FsCheck prints the seed of a failing run, so a failure can be replayed.
/// </summary>
internal static class FuzzSettings
{
    public static bool Long => Environment.GetEnvironmentVariable("BERTH_LONG_TESTS") == "1";

    public static int Cases(int quick) => Long ? quick * 20 : quick;

    public static Config Config(int quick) => FsCheck.Config.QuickThrowOnFailure.WithMaxTest(Cases(quick)).WithQuietOnSuccess(true);

    /// <summary>Characters that matter to the parsers under test, mixed with arbitrary ones.</summary>
    public static Gen<char> InterestingChar(string special) => Gen.Frequency(
        (6, Gen.Elements(special.ToCharArray())),
        (3, Gen.Choose(32, 126).Select(i => (char)i)),
        (1, Gen.Choose(0, 0xFFFF).Select(i => (char)i)));

    public static Gen<string> StringOf(Gen<char> chars, int maxLength) =>
        Gen.Choose(0, maxLength).SelectMany(n => Gen.ArrayOf(chars, n)).Select(a => new string(a));

    /// <summary>Runs a property with a wall-clock bound, so a hang fails the test instead of stalling CI.</summary>
    public static void CheckWithin(TimeSpan limit, Action check)
    {
        var task = Task.Factory.StartNew(check, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (Task.WhenAny(task, Task.Delay(limit)).GetAwaiter().GetResult() != task)
            Assert.Fail($"the property did not finish within {limit.TotalSeconds:0} s: the code under test hangs");
        task.GetAwaiter().GetResult();
    }
}

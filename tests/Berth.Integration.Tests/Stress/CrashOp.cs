namespace Berth.Integration.Tests.Stress;

/// <summary>The operations the crash test interrupts with a kill -9, and how long each may run before the kill comes.</summary>
internal enum CrashOp
{
    Pull,
    Build,
    Run,
    Stop,
    Remove,
    RemoveImage,
}

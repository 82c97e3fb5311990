namespace Berth.Runtime;

/// <summary>The process to run. <see cref="User"/> is "", "uid", "uid:gid", "name" or "name:group", resolved against the rootfs.</summary>
public sealed record ProcessSpec(
    IReadOnlyList<string> Args,
    IReadOnlyList<string> Env,
    string Cwd,
    string User,
    IReadOnlyList<string>? AdditionalGroups = null,
    int? ConsoleHeight = null,
    int? ConsoleWidth = null);

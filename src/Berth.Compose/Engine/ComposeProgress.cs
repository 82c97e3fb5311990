namespace Berth.Compose.Engine;

/// <summary>
/// Progress lines in Docker Compose's words (<c>Container demo-api-1  Started</c>). On a terminal only finished steps are
/// shown, ticked as Compose's TTY view ends up (<c> ✔ Container demo-api-1  Started</c>); otherwise every step prints as
/// Compose's plain progress does (<c> Container demo-api-1  Starting</c>). Thread-safe: services converge in parallel.
/// </summary>
public sealed class ComposeProgress(TextWriter writer, bool terminal)
{
    private readonly Lock _lock = new();

    public static ComposeProgress Silent { get; } = new(TextWriter.Null, false);

    /// <summary>A step under way (<c>Creating</c>, <c>Starting</c>, <c>Waiting</c>…).</summary>
    public void Working(string resource, string status)
    {
        if (terminal) return;
        Write($" {resource}  {status}");
    }

    /// <summary>A finished step (<c>Created</c>, <c>Started</c>, <c>Healthy</c>, <c>Removed</c>…).</summary>
    public void Done(string resource, string status) => Write(terminal ? $" \u2714 {resource}  {status}" : $" {resource}  {status}");

    public void Error(string resource, string status) => Write(terminal ? $" \u2718 {resource}  {status}" : $" {resource}  {status}");

    public void Warn(string message) => Write($"WARN[0000] {message}");

    private void Write(string line)
    {
        lock (_lock)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    public static string ContainerResource(string name) => "Container " + name;

    public static string NetworkResource(string name) => "Network " + name;

    public static string VolumeResource(string name) => "Volume " + name;

    public static string ImageResource(string name) => "Image " + name;
}

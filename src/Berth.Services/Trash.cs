namespace Berth.Services;

/// <summary>
/// Deletes directory trees off the request path: a tree is renamed into the trash (atomic, so it is gone from its
/// old place at once and a crash never leaves half of it there) and removed in the background. Whatever a crash
/// leaves in the trash is emptied at the next start.
/// </summary>
public sealed class Trash
{
    private readonly string _dir;
    private readonly Action<string> _log;

    public Trash(string dir, Action<string> log)
    {
        _dir = dir;
        _log = log;
        Directory.CreateDirectory(dir);
        foreach (var leftover in Directory.EnumerateFileSystemEntries(dir)) DeleteInBackground(leftover);
    }

    public void Discard(string path)
    {
        if (!Directory.Exists(path)) return;
        var target = Path.Combine(_dir, Guid.NewGuid().ToString("N"));
        Directory.Move(path, target);
        DeleteInBackground(target);
    }

    private void DeleteInBackground(string path) => _ = Task.Run(() =>
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
            else File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _log($"trash: cannot delete {path}: {ex.Message}");
        }
    });
}

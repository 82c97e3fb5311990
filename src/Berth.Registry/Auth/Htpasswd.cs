using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Berth.Registry.Auth;

/// <summary>
/// An htpasswd file of bcrypt entries (<c>user:$2y$…</c>), as distribution's htpasswd auth reads it. Good passwords are
/// remembered (by SHA-256) so bcrypt's deliberate slowness is paid once per user, not per request.
/// </summary>
internal sealed class Htpasswd
{
    private readonly Dictionary<string, string> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte[]> _verified = new(StringComparer.Ordinal);

    public Htpasswd(string path)
    {
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) throw new InvalidDataException($"{path}: malformed line");
            _entries[line[..colon]] = line[(colon + 1)..];
        }
    }

    public bool Check(string user, string password)
    {
        if (!_entries.TryGetValue(user, out var hash)) return false;
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(password));
        if (_verified.TryGetValue(user, out var known)) return CryptographicOperations.FixedTimeEquals(known, digest);
        if (!Bcrypt.Verify(password, hash)) return false;
        _verified[user] = digest;
        return true;
    }
}

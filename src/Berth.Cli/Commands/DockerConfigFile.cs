using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Api.Models;
using Berth.Api.Models.Images;

namespace Berth.Cli.Commands;

/// <summary>
/// Credentials in <c>$DOCKER_CONFIG/config.json</c> (default <c>~/.docker/config.json</c>) exactly as Docker keeps them:
/// <c>{"auths":{"localhost:5000":{"auth":"base64(user:password)"}}}</c>, Docker Hub under <c>https://index.docker.io/v1/</c>;
/// other keys of the file are kept untouched.
/// </summary>
internal static class DockerConfigFile
{
    public const string DockerHubKey = "https://index.docker.io/v1/";

    public static string PathFor(Func<string, string?> env)
    {
        var dir = env("DOCKER_CONFIG");
        if (string.IsNullOrEmpty(dir)) dir = Path.Join(env("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
        return Path.Join(dir, "config.json");
    }

    /// <summary>The key for a registry name or server address: <c>docker.io</c> and friends become Docker Hub's v1 URL.</summary>
    public static string Key(string? server)
    {
        if (string.IsNullOrEmpty(server)) return DockerHubKey;
        var s = server.Trim();
        if (s.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) s = s[8..];
        else if (s.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) s = s[7..];
        s = s.TrimEnd('/');
        var slash = s.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0) s = s[..slash];
        return s is "docker.io" or "index.docker.io" or "registry-1.docker.io" ? DockerHubKey : s;
    }

    /// <summary>The stored credentials for <paramref name="registry"/>, as the base64url <c>X-Registry-Auth</c> value, or null.</summary>
    public static string? AuthHeaderFor(Func<string, string?> env, string registry)
    {
        var key = Key(registry);
        if (Read(env)?["auths"]?[key] is not JsonObject entry) return null;
        var config = new AuthConfig { ServerAddress = key };
        if (entry["auth"]?.GetValue<string>() is { Length: > 0 } auth)
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0) (config.Username, config.Password) = (text[..colon], text[(colon + 1)..]);
        }
        if (entry["identitytoken"]?.GetValue<string>() is { Length: > 0 } token) config.IdentityToken = token;
        if (config.Username is null && config.IdentityToken is null) return null;
        return Encode(config);
    }

    public static string Encode(AuthConfig config) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(config, ApiJsonContext.Default.AuthConfig)).Replace('+', '-').Replace('/', '_');

    public static void Store(Func<string, string?> env, string key, string user, string password, string? identityToken)
    {
        var root = Read(env) ?? new JsonObject();
        if (root["auths"] is not JsonObject auths) root["auths"] = auths = new JsonObject();
        var entry = new JsonObject { ["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{(string.IsNullOrEmpty(identityToken) ? password : "")}")) };
        if (!string.IsNullOrEmpty(identityToken)) entry["identitytoken"] = identityToken;
        auths[key] = entry;
        Write(env, root);
    }

    public static bool Remove(Func<string, string?> env, string key)
    {
        var root = Read(env);
        if (root?["auths"] is not JsonObject auths || !auths.Remove(key)) return false;
        Write(env, root);
        return true;
    }

    private static JsonObject? Read(Func<string, string?> env)
    {
        var path = PathFor(env);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void Write(Func<string, string?> env, JsonObject root)
    {
        var path = PathFor(env);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var tmp = path + ".tmp-" + Environment.ProcessId;
        File.WriteAllText(tmp, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(tmp, path, overwrite: true);
    }
}

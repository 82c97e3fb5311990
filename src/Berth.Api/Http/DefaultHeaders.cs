using System.Text;

namespace Berth.Api.Http;

/// <summary>An immutable set of headers added to every response, pre-encoded once (moby adds them in middleware).</summary>
internal sealed class DefaultHeaders
{
    private DefaultHeaders(KeyValuePair<string, string>[] items)
    {
        Items = items;
        var sb = new StringBuilder();
        foreach (var kv in items) sb.Append(kv.Key).Append(": ").Append(kv.Value).Append("\r\n");
        Encoded = Encoding.UTF8.GetBytes(sb.ToString());
    }

    public static DefaultHeaders Docker { get; } = new(
    [
        new("Api-Version", "1.50"),
        new("Docker-Experimental", "false"),
        new("Ostype", "linux"),
        new("Server", "Docker/28.2.2 (linux)"),
    ]);

    public KeyValuePair<string, string>[] Items { get; }

    public byte[] Encoded { get; }

    public DefaultHeaders With(string name, string? value)
    {
        var list = Items.Where(kv => !string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (value is not null)
        {
            new HeaderCollection().Add(name, value); // validates name and value
            var at = Array.FindIndex(Items, kv => string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase));
            list.Insert(at < 0 ? list.Count : at, new(name, value));
        }
        return new DefaultHeaders([.. list]);
    }
}

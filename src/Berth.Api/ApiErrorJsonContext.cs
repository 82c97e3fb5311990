using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Api;

[JsonSerializable(typeof(ErrorResponse))]
internal sealed partial class ApiErrorJsonContext : JsonSerializerContext
{
    /// <summary>Unescaped, as moby writes error messages (quotes and apostrophes stay readable).</summary>
    public static ApiErrorJsonContext Wire { get; } = new(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}

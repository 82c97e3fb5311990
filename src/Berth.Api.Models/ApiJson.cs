using System.Text.Encodings.Web;
using System.Text.Json;

namespace Berth.Api.Models;

/// <summary>
/// The serializer context to use on the wire: like moby's WriteJSON (SetEscapeHTML(false)), it leaves '&lt;', '&gt;',
/// '&amp;' and quotes unescaped, so messages and commands read as the user wrote them.
/// </summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(ApiJsonContext.Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly ApiJsonContext Context = new(new JsonSerializerOptions(Options));
}

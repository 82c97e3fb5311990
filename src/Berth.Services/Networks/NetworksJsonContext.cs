using System.Text.Json.Serialization;

namespace Berth.Services.Networks;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(NetworkDocument))]
internal sealed partial class NetworksJsonContext : JsonSerializerContext;

using System.Text.Json.Serialization;
using Berth.Services.Containers;

namespace Berth.Services;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ContainerDocument))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(Berth.Services.Images.ImageConfigFile))]
internal sealed partial class ServicesJsonContext : JsonSerializerContext;

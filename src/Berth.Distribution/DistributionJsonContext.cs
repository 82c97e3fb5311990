using System.Text.Json.Serialization;
using Berth.Distribution.Auth;
using Berth.Distribution.Manifests;

namespace Berth.Distribution;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ManifestDocument))]
[JsonSerializable(typeof(ImageConfigRootfs))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(RegistryErrors))]
[JsonSerializable(typeof(Search.SearchResults))]
public sealed partial class DistributionJsonContext : JsonSerializerContext;

using System.Text.Json.Serialization;

namespace Berth.Compose.Engine;

/// <summary>Source-generated JSON for the engine's few ad-hoc payloads (AOT: no reflection serializer).</summary>
[JsonSerializable(typeof(string[]))]
internal sealed partial class ComposeEngineJson : JsonSerializerContext;

using System.Text.Json.Serialization;

namespace Berth.Tests.Api.Http;

[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class TestJsonContext : JsonSerializerContext;

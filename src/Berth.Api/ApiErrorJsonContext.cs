using System.Text.Json.Serialization;

namespace Berth.Api;

[JsonSerializable(typeof(ErrorResponse))]
internal sealed partial class ApiErrorJsonContext : JsonSerializerContext;

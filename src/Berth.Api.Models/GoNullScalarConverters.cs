using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Api.Models;

// Go's encoding/json leaves a number or bool field at its zero value when the JSON says null; clients written against
// dockerd rely on it (docker-compose 1.29 sends "StartPeriod": null in a healthcheck). System.Text.Json throws instead,
// so the wire context reads null as 0/false for the non-nullable scalars. Nullable ones keep null (their converter
// handles it before these are asked).

/// <summary>A JSON null read as 0 for <see cref="long"/> fields, as Go does.</summary>
public sealed class GoNullAsZeroInt64Converter : JsonConverter<long>
{
    public override bool HandleNull => true;

    public override long Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? 0 : reader.GetInt64();

    public override void Write(Utf8JsonWriter writer, long value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}

/// <summary>A JSON null read as 0 for <see cref="int"/> fields, as Go does.</summary>
public sealed class GoNullAsZeroInt32Converter : JsonConverter<int>
{
    public override bool HandleNull => true;

    public override int Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? 0 : reader.GetInt32();

    public override void Write(Utf8JsonWriter writer, int value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}

/// <summary>A JSON null read as false for <see cref="bool"/> fields, as Go does.</summary>
public sealed class GoNullAsFalseConverter : JsonConverter<bool>
{
    public override bool HandleNull => true;

    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType != JsonTokenType.Null && reader.GetBoolean();

    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) => writer.WriteBooleanValue(value);
}

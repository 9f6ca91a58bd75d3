using System.Text.Json;
using System.Text.Json.Serialization;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Server.Rest.Json;

/// <summary>One value at a full path, as composite operations and Send carry them.</summary>
public sealed class RecordDto
{
    /// <summary>The absolute path, e.g. <c>/3/0/9</c>.</summary>
    [JsonPropertyName("path")]
    public string? Path { get; set; }

    /// <summary>The LwM2M type name; absent on a record without a value.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    /// <summary>The value, written as <see cref="JsonValues"/> describes.</summary>
    [JsonPropertyName("value")]
    public JsonElement? Value { get; set; }

    /// <summary>The record's timestamp, when it has one.</summary>
    [JsonPropertyName("time")]
    public DateTimeOffset? Time { get; set; }

    /// <summary>Builds the DTO of <paramref name="record"/>.</summary>
    public static RecordDto From(Lwm2mRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new RecordDto
        {
            Path = record.Path.ToString(),
            Type = record.Value?.Type.ToString(),
            Value = record.Value is { } value ? JsonValues.ToJson(value) : null,
            Time = record.Timestamp,
        };
    }

    /// <summary>Reads a record to write: a resource or resource-instance path, a type and a value of that type.</summary>
    public bool TryToRecord(out Lwm2mRecord? record, out string error)
    {
        record = null;
        error = string.Empty;
        if (!Lwm2mPath.TryParse(Path, out Lwm2mPath path) || path.Level < Lwm2mPathLevel.Resource)
        {
            error = $"'{Path}' is not a resource or resource instance path.";
            return false;
        }
        if (!JsonValues.TryParseType(Type, out Lwm2mResourceType type))
        {
            error = $"{path}: '{Type}' is not an LwM2M type; use one of {JsonValues.TypeNames}.";
            return false;
        }
        if (Value is not { } json || !JsonValues.TryFromJson(json, type, out Lwm2mValue value, out error))
        {
            error = Value is null ? $"{path}: a value is missing." : $"{path}: {error}";
            return false;
        }
        record = new Lwm2mRecord(path, value, Time);
        return true;
    }
}

/// <summary>
/// The body of <c>POST /api/clients/{endpoint}/composite</c>: <see cref="Paths"/> for a Read-Composite,
/// <see cref="Records"/> for a Write-Composite; the answer to a read carries <see cref="Records"/>.
/// </summary>
public sealed class CompositeDto
{
    /// <summary>The paths to read.</summary>
    [JsonPropertyName("paths")]
    public List<string>? Paths { get; set; }

    /// <summary>The records to write, or that were read.</summary>
    [JsonPropertyName("records")]
    public List<RecordDto>? Records { get; set; }
}

/// <summary>The SSE data of a Send from a client.</summary>
public sealed class SendDto
{
    /// <summary>The client's endpoint name.</summary>
    [JsonPropertyName("endpoint")]
    public required string Endpoint { get; init; }

    /// <summary>The records the client sent.</summary>
    [JsonPropertyName("records")]
    public required List<RecordDto> Records { get; init; }
}

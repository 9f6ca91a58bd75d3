using System.Text.Json.Serialization;

namespace Tern.Lwm2m.Server.Rest.Json;

/// <summary>The answer to starting an observation: the first value and, when the client accepted, the observation's id.</summary>
public sealed class ObservationDto
{
    /// <summary>The observed path (<c>/</c> for an Observe-Composite).</summary>
    [JsonPropertyName("path")]
    public required string Path { get; init; }

    /// <summary>The paths of an Observe-Composite; absent for a plain observation.</summary>
    [JsonPropertyName("paths")]
    public List<string>? Paths { get; init; }

    /// <summary>The server's id of the observation; null when the client answered without accepting it.</summary>
    [JsonPropertyName("observationId")]
    public long? ObservationId { get; init; }

    /// <summary>True when notifications will follow on the event stream.</summary>
    [JsonPropertyName("active")]
    public bool Active { get; init; }

    /// <summary>The value in the client's first answer.</summary>
    [JsonPropertyName("content")]
    public NodeDto? Content { get; init; }

    /// <summary>The records in the client's first answer to an Observe-Composite.</summary>
    [JsonPropertyName("records")]
    public List<RecordDto>? Records { get; init; }
}

/// <summary>The SSE data of a notification.</summary>
public sealed class NotificationDto
{
    /// <summary>The client's endpoint name.</summary>
    [JsonPropertyName("endpoint")]
    public required string Endpoint { get; init; }

    /// <summary>The observed path (<c>/</c> for an Observe-Composite).</summary>
    [JsonPropertyName("path")]
    public required string Path { get; init; }

    /// <summary>The paths of an Observe-Composite; absent for a plain observation.</summary>
    [JsonPropertyName("paths")]
    public List<string>? Paths { get; init; }

    /// <summary>The server's id of the observation.</summary>
    [JsonPropertyName("observationId")]
    public long ObservationId { get; init; }

    /// <summary>The notified value; null when it did not decode (see <see cref="Error"/>).</summary>
    [JsonPropertyName("content")]
    public NodeDto? Content { get; init; }

    /// <summary>The notified records of an Observe-Composite; null when they did not decode (see <see cref="Error"/>).</summary>
    [JsonPropertyName("records")]
    public List<RecordDto>? Records { get; init; }

    /// <summary>Why the notification could not be decoded.</summary>
    [JsonPropertyName("error")]
    public string? Error { get; init; }
}

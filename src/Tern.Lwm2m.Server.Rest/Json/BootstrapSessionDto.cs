using System.Text.Json.Serialization;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Bootstrap;
using Tern.Lwm2m.Server.Rest.Http;

namespace Tern.Lwm2m.Server.Rest.Json;

/// <summary>How a bootstrap session went: the SSE data of a <c>bootstrap</c> event and the body of <c>GET /api/bootstrap/{endpoint}/session</c>.</summary>
public sealed class BootstrapSessionDto
{
    /// <summary>The bootstrapped endpoint.</summary>
    [JsonPropertyName("endpoint")]
    public required string Endpoint { get; init; }

    /// <summary>True when every step, Bootstrap-Finish included, succeeded.</summary>
    [JsonPropertyName("success")]
    public bool Success { get; init; }

    /// <summary>Why the session failed; absent on success.</summary>
    [JsonPropertyName("failure")]
    public string? Failure { get; init; }

    /// <summary>The requests sent, in order, with the client's answers.</summary>
    [JsonPropertyName("steps")]
    public required List<BootstrapStepDto> Steps { get; init; }

    /// <summary>The links of the Bootstrap-Discover, when there was one.</summary>
    [JsonPropertyName("discovered")]
    public required List<LinkDto> Discovered { get; init; }

    /// <summary>What Bootstrap-Read returned, each node with its path.</summary>
    [JsonPropertyName("read")]
    public required List<NodeDto> Read { get; init; }

    /// <summary>Builds the DTO of a finished session.</summary>
    public static BootstrapSessionDto From(BootstrapSessionEventArgs session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return new BootstrapSessionDto
        {
            Endpoint = session.Endpoint,
            Success = session.Success,
            Failure = session.Failure,
            Steps = session.Steps.Select(s => new BootstrapStepDto { Operation = s.Operation, Path = s.Path, Code = s.Code is { } code ? CoapStatusMapping.Format(code) : null }).ToList(),
            Discovered = session.Discovered.Select(LinkDto.From).ToList(),
            Read = session.Read.OrderBy(kv => kv.Key.ToString(), StringComparer.Ordinal).Select(kv => NodeJson.ToDto(kv.Value, kv.Key)).ToList(),
        };
    }
}

/// <summary>One request of a bootstrap session.</summary>
public sealed class BootstrapStepDto
{
    /// <summary>Discover, Read, Delete, Write or Finish.</summary>
    [JsonPropertyName("operation")]
    public required string Operation { get; init; }

    /// <summary>The path the request was sent to.</summary>
    [JsonPropertyName("path")]
    public required string Path { get; init; }

    /// <summary>The client's answer, e.g. <c>2.04</c>; absent when it did not answer.</summary>
    [JsonPropertyName("code")]
    public string? Code { get; init; }
}

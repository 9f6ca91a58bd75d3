using System.Text.Json.Serialization;
using Tern.Lwm2m.Formats.LinkFormat;
using Tern.Lwm2m.Server.Registrations;

namespace Tern.Lwm2m.Server.Rest.Json;

/// <summary>A registered client as the REST API shows it.</summary>
public sealed class ClientDto
{
    /// <summary>The endpoint client name.</summary>
    [JsonPropertyName("endpoint")]
    public required string Endpoint { get; init; }

    /// <summary>The registration id (the location the server handed out).</summary>
    [JsonPropertyName("registrationId")]
    public required string RegistrationId { get; init; }

    /// <summary>The LwM2M version the client registered with.</summary>
    [JsonPropertyName("lwm2mVersion")]
    public required string Lwm2mVersion { get; init; }

    /// <summary>The binding, e.g. <c>U</c>.</summary>
    [JsonPropertyName("binding")]
    public required string Binding { get; init; }

    /// <summary>Whether the client uses queue mode.</summary>
    [JsonPropertyName("queueMode")]
    public bool QueueMode { get; init; }

    /// <summary>The registration lifetime in seconds.</summary>
    [JsonPropertyName("lifetime")]
    public long Lifetime { get; init; }

    /// <summary>The client's SMS number, when it gave one.</summary>
    [JsonPropertyName("smsNumber")]
    public string? SmsNumber { get; init; }

    /// <summary>The client's address and port.</summary>
    [JsonPropertyName("address")]
    public required string Address { get; init; }

    /// <summary>The object links the client registered, in CoRE link format.</summary>
    [JsonPropertyName("objectLinks")]
    public required string ObjectLinks { get; init; }

    /// <summary>When the client registered.</summary>
    [JsonPropertyName("registeredAt")]
    public DateTimeOffset RegisteredAt { get; init; }

    /// <summary>When the client last updated its registration.</summary>
    [JsonPropertyName("updatedAt")]
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When the registration expires unless updated.</summary>
    [JsonPropertyName("expiresAt")]
    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Builds the DTO of <paramref name="registration"/>.</summary>
    public static ClientDto From(Registration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        return new ClientDto
        {
            Endpoint = registration.Endpoint,
            RegistrationId = registration.Id,
            Lwm2mVersion = registration.Lwm2mVersion,
            Binding = registration.Binding,
            QueueMode = registration.QueueMode,
            Lifetime = (long)registration.Lifetime.TotalSeconds,
            SmsNumber = registration.SmsNumber,
            Address = registration.Peer.ToString(),
            ObjectLinks = CoreLinkFormat.Format(registration.ObjectLinks),
            RegisteredAt = registration.RegisteredAt,
            UpdatedAt = registration.UpdatedAt,
            ExpiresAt = registration.ExpiresAt,
        };
    }
}

/// <summary>One link of a Discover answer: its target and attributes.</summary>
public sealed class LinkDto
{
    /// <summary>The link target, e.g. <c>/3/0/1</c>.</summary>
    [JsonPropertyName("target")]
    public required string Target { get; init; }

    /// <summary>The link's attributes; a value is null for a bare attribute.</summary>
    [JsonPropertyName("attributes")]
    public required Dictionary<string, string?> Attributes { get; init; }

    /// <summary>Builds the DTO of <paramref name="link"/>.</summary>
    public static LinkDto From(CoreLink link)
    {
        ArgumentNullException.ThrowIfNull(link);
        var attributes = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (CoreLinkParameter parameter in link.Parameters)
        {
            attributes[parameter.Name] = parameter.Value;
        }
        return new LinkDto { Target = link.Target, Attributes = attributes };
    }
}

/// <summary>The SSE data of a de-registration or expiry: which client left.</summary>
public sealed class DepartureDto
{
    /// <summary>The endpoint client name.</summary>
    [JsonPropertyName("endpoint")]
    public required string Endpoint { get; init; }

    /// <summary>The registration id that ended.</summary>
    [JsonPropertyName("registrationId")]
    public required string RegistrationId { get; init; }
}

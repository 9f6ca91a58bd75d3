using Tern.Coap.Transport;
using Tern.Lwm2m.Formats.LinkFormat;

namespace Tern.Lwm2m.Server.Registrations;

/// <summary>
/// A client's registration as the server holds it: what the client said in Register (and later Updates) and where
/// it was last heard from. Immutable; an Update produces a new instance.
/// </summary>
public sealed record Registration
{
    /// <summary>The client's endpoint name (<c>ep</c>), unique among registrations.</summary>
    public required string Endpoint { get; init; }

    /// <summary>The registration id the server assigned (the <c>{id}</c> in <c>/rd/{id}</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The LwM2M version the client registered with (<c>lwm2m</c>; "1.0" when absent).</summary>
    public required string Lwm2mVersion { get; init; }

    /// <summary>The binding mode (<c>b</c>; "U" when absent), e.g. "U", "UQ", "T".</summary>
    public required string Binding { get; init; }

    /// <summary>True when the client is in queue mode (<c>Q</c> parameter in 1.1+, or Q in the 1.0 binding).</summary>
    public required bool QueueMode { get; init; }

    /// <summary>The registration lifetime (<c>lt</c>; 86400 s when absent).</summary>
    public required TimeSpan Lifetime { get; init; }

    /// <summary>The SMS number (<c>sms</c>), if given.</summary>
    public string? SmsNumber { get; init; }

    /// <summary>The alternate path of the client's objects from <c>&lt;/&gt;;rt="oma.lwm2m"</c> (empty for "/").</summary>
    public string RootPath { get; init; } = "";

    /// <summary>The object and object-instance links of the registration payload, relative to <see cref="RootPath"/>.</summary>
    public required IReadOnlyList<CoreLink> ObjectLinks { get; init; }

    /// <summary>The content formats the client advertised with <c>ct</c> on the root link; empty when it advertised none.</summary>
    public IReadOnlyList<ushort> ContentFormats { get; init; } = [];

    /// <summary>Object versions the client announced with <c>ver</c>, by object id.</summary>
    public IReadOnlyDictionary<int, string> ObjectVersions { get; init; } = new Dictionary<int, string>();

    /// <summary>Where the client's last Register or Update came from; downlink requests go here.</summary>
    public required CoapPeer Peer { get; init; }

    /// <summary>When the client registered.</summary>
    public required DateTimeOffset RegisteredAt { get; init; }

    /// <summary>When the registration was last refreshed (Register or Update).</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When the registration expires unless updated: <see cref="UpdatedAt"/> + <see cref="Lifetime"/>.</summary>
    public DateTimeOffset ExpiresAt => UpdatedAt + Lifetime;

    /// <summary>True for LwM2M 1.1 and later, which speak SenML and the composite operations.</summary>
    public bool IsAtLeast11 => !string.Equals(Lwm2mVersion, "1.0", StringComparison.Ordinal);
}

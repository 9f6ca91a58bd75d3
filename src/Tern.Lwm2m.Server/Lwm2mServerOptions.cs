using Tern.Coap.Endpoint;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Server.Registrations;

namespace Tern.Lwm2m.Server;

/// <summary>Settings of an <see cref="Lwm2mServer"/>. Values are checked when set.</summary>
public sealed class Lwm2mServerOptions
{
    private readonly TimeSpan _requestTimeout = TimeSpan.FromSeconds(60);
    private readonly TimeSpan _expiryGrace = TimeSpan.Zero;
    private readonly TimeSpan _awakeTime = TimeSpan.FromSeconds(93);

    /// <summary>Where registrations are kept; an <see cref="InMemoryRegistrationStore"/> when null.</summary>
    public IRegistrationStore? Store { get; init; }

    /// <summary>
    /// Security entries (endpoint ↔ PSK identity or certificate) that registrations are checked against; when null the
    /// store of the <see cref="Security.Lwm2mServerTransport"/> the server runs on is used, if any.
    /// </summary>
    public Security.ISecurityStore? Security { get; init; }

    /// <summary>
    /// When true, a client that authenticated with a certificate may register only under an endpoint name that has a
    /// certificate entry (<see cref="Security.SecurityInfo.ForCertificate"/>) in the security store, besides being named in
    /// the certificate's CN. When false (the default), a certificate that validated to the trusted anchors and names the
    /// endpoint in its CN is enough.
    /// </summary>
    public bool RequireCertificateEntry { get; init; }

    /// <summary>Object definitions used to decode client payloads; the built-in objects when null.</summary>
    public IObjectDefinitionProvider? Objects { get; init; }

    /// <summary>The content formats the server can speak; <see cref="Lwm2mContentFormatRegistry.Default"/> when null.</summary>
    public Lwm2mContentFormatRegistry? Formats { get; init; }

    /// <summary>Settings of the underlying CoAP endpoint. Its <see cref="CoapEndpointOptions.Handler"/> is ignored: the server answers requests itself.</summary>
    public CoapEndpointOptions? Coap { get; init; }

    /// <summary>How long a downlink operation waits for the client when the call gives no timeout (default 60 s).</summary>
    public TimeSpan RequestTimeout
    {
        get => _requestTimeout;
        init => _requestTimeout = value > TimeSpan.Zero ? value
            : throw new ArgumentOutOfRangeException(nameof(RequestTimeout), value, "The request timeout must be positive.");
    }

    /// <summary>Extra time a registration survives past its lifetime before it expires, for late Updates (default zero).</summary>
    public TimeSpan ExpiryGrace
    {
        get => _expiryGrace;
        init => _expiryGrace = value >= TimeSpan.Zero ? value
            : throw new ArgumentOutOfRangeException(nameof(ExpiryGrace), value, "The expiry grace cannot be negative.");
    }

    /// <summary>
    /// How long a queue-mode client listens after it last spoke (Register, Update); requests for it wait for the next
    /// such moment once this has passed (default 93 s, CoAP's MAX_TRANSMIT_WAIT, as the LwM2M specification suggests).
    /// </summary>
    public TimeSpan QueueModeAwakeTime
    {
        get => _awakeTime;
        init => _awakeTime = value > TimeSpan.Zero ? value
            : throw new ArgumentOutOfRangeException(nameof(QueueModeAwakeTime), value, "The awake time must be positive.");
    }

    /// <summary>Source of registration ids; null for <see cref="Random.Shared"/>. Inject a seeded one in tests.</summary>
    public Random? Random { get; init; }
}

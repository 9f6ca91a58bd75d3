using Tern.Coap.Endpoint;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Formats;

namespace Tern.Lwm2m.Server.Bootstrap;

/// <summary>Settings of an <see cref="Lwm2mBootstrapServer"/>. Values are checked when set.</summary>
public sealed class Lwm2mBootstrapServerOptions
{
    private readonly TimeSpan _requestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Where configurations are kept; an <see cref="InMemoryBootstrapConfigurationStore"/> when null.</summary>
    public IBootstrapConfigurationStore? Store { get; init; }

    /// <summary>The content formats the server can encode; <see cref="Lwm2mContentFormatRegistry.Default"/> when null.</summary>
    public Lwm2mContentFormatRegistry? Formats { get; init; }

    /// <summary>Object definitions used to decode what Bootstrap-Read returns; the built-in objects when null.</summary>
    public IObjectDefinitionProvider? Objects { get; init; }

    /// <summary>
    /// The bootstrap-side security entries (PSK identity and key, or certificate, per endpoint) a Bootstrap-Request is
    /// checked against; when null, the store of the <see cref="Security.Lwm2mServerTransport"/> the server runs on, if any.
    /// </summary>
    public Security.ISecurityStore? Security { get; init; }

    /// <summary>Settings of the CoAP endpoint (its handler is ignored).</summary>
    public CoapEndpointOptions? Coap { get; init; }

    /// <summary>A copy of these options with <paramref name="store"/> as <see cref="Store"/> (keep in step with the properties).</summary>
    internal Lwm2mBootstrapServerOptions WithStore(IBootstrapConfigurationStore store) => new()
    {
        Store = store,
        Formats = Formats,
        Objects = Objects,
        Security = Security,
        Coap = Coap,
        RequestTimeout = RequestTimeout,
    };

    /// <summary>How long each request of a session waits for the client (default 30 s).</summary>
    public TimeSpan RequestTimeout
    {
        get => _requestTimeout;
        init => _requestTimeout = value > TimeSpan.Zero ? value
            : throw new ArgumentOutOfRangeException(nameof(RequestTimeout), value, "The request timeout must be positive.");
    }
}

using Microsoft.Extensions.Logging;
using Tern.Coap.Dtls;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Coap.Transport;
using Tern.Lwm2m.Server.Security;

namespace Tern.Lwm2m.Server.Bootstrap;

/// <content>
/// Who may bootstrap an endpoint: over DTLS (an <see cref="Lwm2mServerTransport"/> or a <see cref="DtlsServerTransport"/>),
/// the PSK identity or certificate CN the handshake proved must belong to the <c>ep</c> of the Bootstrap-Request; on
/// plain CoAP, only endpoints without a security entry may bootstrap. Refusals are answered 4.03 and no session starts.
/// </content>
public sealed partial class Lwm2mBootstrapServer
{
    private ICoapTransport? _transport;

    /// <summary>
    /// The bootstrap-side security entries Bootstrap-Requests are checked against: <see cref="Lwm2mBootstrapServerOptions.Security"/>,
    /// else the store of the <see cref="Lwm2mServerTransport"/> the bootstrap server runs on; null when there is neither
    /// (then only the DTLS handshake itself authenticates, and any proven identity may bootstrap any endpoint it names
    /// by certificate CN).
    /// </summary>
    public ISecurityStore? Security => _options.Security ?? (EndpointAuthorization.Unwrap(_transport) as Lwm2mServerTransport)?.Security;

    /// <summary>Raised when a Bootstrap-Request is refused with 4.03 because the peer's credentials do not belong to its endpoint.</summary>
    public event EventHandler<BootstrapRefusedEventArgs>? Refused;

    /// <summary>Who <paramref name="peer"/> proved to be over DTLS; false for a peer on plain CoAP.</summary>
    public bool TryGetDtlsPeer(CoapPeer peer, out DtlsPeerInfo? info) => EndpointAuthorization.TryGetDtlsPeer(_transport, peer, out info);

    /// <summary>Null when <paramref name="peer"/> may bootstrap <paramref name="endpoint"/>, else the 4.03 to answer.</summary>
    private CoapResponse? Authorize(CoapPeer peer, string endpoint)
    {
        DtlsPeerInfo? proven = TryGetDtlsPeer(peer, out DtlsPeerInfo? info) ? info : null;
        string? reason = EndpointAuthorization.Check(Security?.GetByEndpoint(endpoint), proven, endpoint);
        if (reason is null)
        {
            return null;
        }

        SecurityLog.Refused(_logger, endpoint, peer, reason);
        try
        {
            Refused?.Invoke(this, new BootstrapRefusedEventArgs(endpoint, peer, reason));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.EventHandlerFailed(_logger, endpoint, ex);
        }

        return CoapResponse.Text(CoapCode.Forbidden, reason);
    }

    private static partial class SecurityLog
    {
        [LoggerMessage(EventId = 6104, Level = LogLevel.Warning, Message = "Bootstrap-Request for {Endpoint} from {Peer} refused: {Reason}")]
        public static partial void Refused(ILogger logger, string endpoint, CoapPeer peer, string reason);
    }
}

/// <summary>A Bootstrap-Request refused because the peer's credentials do not belong to the endpoint it named.</summary>
public sealed class BootstrapRefusedEventArgs : EventArgs
{
    /// <summary>Creates the event arguments.</summary>
    public BootstrapRefusedEventArgs(string endpoint, CoapPeer peer, string reason)
    {
        Endpoint = endpoint;
        Peer = peer;
        Reason = reason;
    }

    /// <summary>The endpoint name of the request.</summary>
    public string Endpoint { get; }

    /// <summary>Where the request came from.</summary>
    public CoapPeer Peer { get; }

    /// <summary>Why it was refused (also the 4.03's diagnostic payload).</summary>
    public string Reason { get; }
}

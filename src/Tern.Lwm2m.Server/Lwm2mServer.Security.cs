using Tern.Coap.Dtls;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Coap.Transport;
using Tern.Lwm2m.Server.Security;

namespace Tern.Lwm2m.Server;

/// <content>
/// Who may use an endpoint name: a client whose DTLS credentials belong to another endpoint, or a client on plain
/// CoAP claiming an endpoint that has credentials, is refused with 4.03 and never registered.
/// </content>
public sealed partial class Lwm2mServer
{
    private ICoapTransport? _transport;

    /// <summary>
    /// The security entries registrations are checked against: <see cref="Lwm2mServerOptions.Security"/>, else the
    /// store of the <see cref="Lwm2mServerTransport"/> the server runs on; null when there is neither.
    /// </summary>
    public ISecurityStore? Security => _options.Security ?? (Unwrapped as Lwm2mServerTransport)?.Security;

    /// <summary>Who <paramref name="peer"/> proved to be over DTLS; false for a peer on plain CoAP.</summary>
    public bool TryGetDtlsPeer(CoapPeer peer, out DtlsPeerInfo? info) => EndpointAuthorization.TryGetDtlsPeer(_transport, peer, out info);

    // A recorder (tern server --msc) wraps the sockets; who a peer proved to be is still the DTLS layer's to say.
    private ICoapTransport? Unwrapped => EndpointAuthorization.Unwrap(_transport);

    /// <summary>Null when <paramref name="peer"/> may act for <paramref name="endpoint"/>, else the 4.03 to answer.</summary>
    private CoapResponse? Authorize(CoapPeer peer, string endpoint)
    {
        string? reason = CheckIdentity(peer, endpoint);
        if (reason is null)
        {
            return null;
        }

        Log.Refused(_logger, peer, CoapCode.Forbidden, reason);
        return CoapResponse.Text(CoapCode.Forbidden, reason);
    }

    private string? CheckIdentity(CoapPeer peer, string endpoint) =>
        EndpointAuthorization.Check(Security?.GetByEndpoint(endpoint), TryGetDtlsPeer(peer, out DtlsPeerInfo? proven) ? proven : null, endpoint,
            _options.RequireCertificateEntry);
}

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
    public bool TryGetDtlsPeer(CoapPeer peer, out DtlsPeerInfo? info)
    {
        switch (Unwrapped)
        {
            case Lwm2mServerTransport both:
                return both.TryGetDtlsPeer(peer, out info);
            case DtlsServerTransport dtls:
                return dtls.TryGetPeerInfo(peer, out info);
            default:
                info = null;
                return false;
        }
    }

    // A recorder (tern server --msc) wraps the sockets; who a peer proved to be is still the DTLS layer's to say.
    private ICoapTransport? Unwrapped
    {
        get
        {
            ICoapTransport? transport = _transport;
            while (transport is Tern.Coap.Diagnostics.RecordingCoapTransport recording)
            {
                transport = recording.Inner;
            }

            return transport;
        }
    }

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

    private string? CheckIdentity(CoapPeer peer, string endpoint)
    {
        SecurityInfo? expected = Security?.GetByEndpoint(endpoint);
        if (!TryGetDtlsPeer(peer, out DtlsPeerInfo? proven) || proven is null)
        {
            return expected is null ? null : $"Endpoint '{endpoint}' has security credentials: connect over DTLS.";
        }

        if (proven.PskIdentity is { } identity)
        {
            return expected?.PskIdentity == identity ? null : $"PSK identity '{identity}' does not belong to endpoint '{endpoint}'.";
        }

        if (proven.CommonName != endpoint)
        {
            return $"The client certificate (CN '{proven.CommonName}') is not issued for endpoint '{endpoint}'.";
        }

        return expected is null || expected.UsesCertificate ? null : $"Endpoint '{endpoint}' must authenticate with its pre-shared key.";
    }
}

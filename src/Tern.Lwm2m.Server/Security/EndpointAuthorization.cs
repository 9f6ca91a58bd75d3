using Tern.Coap.Dtls;
using Tern.Coap.Transport;

namespace Tern.Lwm2m.Server.Security;

/// <summary>
/// Whether a peer may act for an endpoint name, given what its DTLS handshake proved and the endpoint's security
/// entry. Shared by the LwM2M server and the bootstrap server.
/// </summary>
internal static class EndpointAuthorization
{
    /// <summary>The transport under any recorders (tern server --msc wraps the sockets).</summary>
    public static ICoapTransport? Unwrap(ICoapTransport? transport)
    {
        while (transport is Tern.Coap.Diagnostics.RecordingCoapTransport recording)
        {
            transport = recording.Inner;
        }

        return transport;
    }

    /// <summary>Who <paramref name="peer"/> proved to be over DTLS on <paramref name="transport"/>; false for plain CoAP.</summary>
    public static bool TryGetDtlsPeer(ICoapTransport? transport, CoapPeer peer, out DtlsPeerInfo? info)
    {
        switch (Unwrap(transport))
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

    /// <summary>
    /// Null when a peer that proved <paramref name="proven"/> (null: plain CoAP) may use <paramref name="endpoint"/>
    /// whose entry is <paramref name="expected"/>; else the reason to refuse it with. With
    /// <paramref name="requireCertificateEntry"/>, a certificate is accepted only for an endpoint with a certificate entry.
    /// </summary>
    public static string? Check(SecurityInfo? expected, DtlsPeerInfo? proven, string endpoint, bool requireCertificateEntry = false)
    {
        if (proven is null)
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

        if (expected is null)
        {
            return requireCertificateEntry ? $"Endpoint '{endpoint}' is not one of the endpoints allowed to register with a certificate." : null;
        }

        return expected.UsesCertificate ? null : $"Endpoint '{endpoint}' must authenticate with its pre-shared key.";
    }
}

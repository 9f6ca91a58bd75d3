using System.Net;
using Microsoft.Extensions.Logging;
using Org.BouncyCastle.X509;
using Tern.Coap.Dtls;

namespace Tern.Lwm2m.Server.Security;

/// <summary>Where an <see cref="Lwm2mServerTransport"/> listens (plain CoAP, CoAP over DTLS, or both) and how DTLS authenticates.</summary>
public sealed class Lwm2mServerTransportOptions
{
    /// <summary>The UDP address for plain CoAP (NoSec clients); null listens for DTLS only.</summary>
    public IPEndPoint? CoapEndPoint { get; init; }

    /// <summary>The UDP address for CoAP over DTLS; null listens for plain CoAP only.</summary>
    public IPEndPoint? CoapsEndPoint { get; init; }

    /// <summary>Where PSK keys are looked up by identity during the handshake; required with <see cref="CoapsEndPoint"/>.</summary>
    public ISecurityStore? Security { get; init; }

    /// <summary>The server's certificate chain and key; null offers the PSK suites only.</summary>
    public DtlsCertificateCredentials? Certificate { get; init; }

    /// <summary>Anchors client certificates must validate to (needed with <see cref="Certificate"/>).</summary>
    public IReadOnlyList<X509Certificate> TrustedClientCertificates { get; init; } = [];

    /// <summary>A DTLS handshake not completed after this long is abandoned.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>DTLS sessions without traffic for this long are closed; null keeps them.</summary>
    public TimeSpan? IdleTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The clock of handshake deadlines and idle timeouts.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Logs DTLS handshakes and failures; none when null.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> describing the first inconsistent setting.</summary>
    public void Validate()
    {
        if (CoapEndPoint is null && CoapsEndPoint is null)
        {
            throw new ArgumentException("Set CoapEndPoint, CoapsEndPoint, or both: the server must listen somewhere.");
        }

        if (CoapsEndPoint is not null && Security is null)
        {
            throw new ArgumentException("CoapsEndPoint needs a Security store to look PSK identities up in.");
        }

        if (Certificate is not null && TrustedClientCertificates.Count == 0)
        {
            throw new ArgumentException("A server Certificate needs TrustedClientCertificates to authenticate clients against.");
        }
    }
}

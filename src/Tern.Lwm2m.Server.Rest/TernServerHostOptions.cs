using System.Net;

namespace Tern.Lwm2m.Server.Rest;

/// <summary>Where <see cref="TernServerHost"/> listens, and how the LwM2M server inside it behaves.</summary>
public sealed class TernServerHostOptions
{
    /// <summary>The default CoAP port of the LwM2M server (5683).</summary>
    public const int DefaultCoapPort = 5683;

    /// <summary>The default CoAP port of the bootstrap server (5783).</summary>
    public const int DefaultBootstrapPort = 5783;

    /// <summary>The default HTTP port of the REST API (8080).</summary>
    public const int DefaultHttpPort = 8080;

    /// <summary>The address both the CoAP and the HTTP side bind; loopback by default.</summary>
    public IPAddress Bind { get; init; } = IPAddress.Loopback;

    /// <summary>The UDP port of the LwM2M server; 0 picks a free one.</summary>
    public int CoapPort { get; init; } = DefaultCoapPort;

    /// <summary>The UDP port of the bootstrap server; 0 picks a free one.</summary>
    public int BootstrapPort { get; init; } = DefaultBootstrapPort;

    /// <summary>The default DTLS port of the LwM2M server (5684), which <c>tern server</c> uses.</summary>
    public const int DefaultCoapsPort = 5684;

    /// <summary>The UDP port for CoAP over DTLS; null (the default) listens for plain CoAP only, 0 picks a free port.</summary>
    public int? CoapsPort { get; init; }

    /// <summary>The security entries (PSK per endpoint) DTLS and registrations are checked against; an empty in-memory store when null.</summary>
    public Security.ISecurityStore? Security { get; init; }

    /// <summary>The default DTLS port of the bootstrap server (5784), which <c>tern server</c> uses.</summary>
    public const int DefaultBootstrapCoapsPort = 5784;

    /// <summary>The UDP port of the bootstrap server's DTLS listener; null (the default) listens for plain CoAP only, 0 picks a free port.</summary>
    public int? BootstrapCoapsPort { get; init; }

    /// <summary>
    /// The bootstrap server's own security entries (the credentials clients bootstrap with), which DTLS handshakes and
    /// Bootstrap-Requests are checked against; an empty in-memory store when null. Kept apart from <see cref="Security"/>
    /// because a device usually bootstraps with other credentials than those the bootstrap server provisions for it.
    /// </summary>
    public Security.ISecurityStore? BootstrapSecurity { get; init; }

    /// <summary>
    /// When true (the default), a bootstrap configuration set through <see cref="TernServerHost.Bootstrap"/>'s store (the
    /// REST API's <c>/api/bootstrap</c>) also gives <see cref="Security"/> the credentials it provisions for this LwM2M
    /// server: accounts whose <c>coaps://</c> URI has the port of the LwM2M server's DTLS listener (none without one).
    /// See <see cref="Tern.Lwm2m.Server.Bootstrap.ProvisioningBootstrapStore"/> for what is added, replaced and removed.
    /// </summary>
    public bool ProvisionServerSecurity { get; init; } = true;

    /// <summary>The certificate chain and key both DTLS listeners present; null offers the PSK suites only.</summary>
    public Tern.Coap.Dtls.DtlsCertificateCredentials? Certificate { get; init; }

    /// <summary>Anchors client certificates must validate to (needed with <see cref="Certificate"/>).</summary>
    public IReadOnlyList<Org.BouncyCastle.X509.X509Certificate> TrustedClientCertificates { get; init; } = [];

    /// <summary>
    /// DTLS peers (of both listeners) without traffic for this long are closed and forgotten, so the memory of dead
    /// peers does not grow; null keeps them. Default 10 minutes.
    /// </summary>
    public TimeSpan? DtlsIdleTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The TCP port of the REST API; 0 picks a free one.</summary>
    public int HttpPort { get; init; } = DefaultHttpPort;

    /// <summary>The clock of the LwM2M server (lifetimes, timeouts); the system clock when null.</summary>
    public TimeProvider? Time { get; init; }

    /// <summary>Settings of the LwM2M server; defaults when null.</summary>
    public Lwm2mServerOptions? Server { get; init; }

    /// <summary>Settings of the bootstrap server; defaults when null.</summary>
    public Bootstrap.Lwm2mBootstrapServerOptions? Bootstrap { get; init; }

    /// <summary>
    /// Wraps each CoAP transport the host binds (the LwM2M server's, then the bootstrap server's) before its server
    /// starts, e.g. <c>recorder.Wrap</c> to record the messages for a sequence chart; none when null.
    /// </summary>
    public Func<Tern.Coap.Transport.ICoapTransport, Tern.Coap.Transport.ICoapTransport>? WrapTransport { get; init; }

    /// <summary>Throws when a port is outside 0 to 65535 or the bind address is missing.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Bind, nameof(Bind));
        foreach ((string name, int port) in new[] { (nameof(CoapPort), CoapPort), (nameof(BootstrapPort), BootstrapPort), (nameof(HttpPort), HttpPort), (nameof(CoapsPort), CoapsPort ?? 0), (nameof(BootstrapCoapsPort), BootstrapCoapsPort ?? 0) })
        {
            if (port is < 0 or > 65535)
            {
                throw new ArgumentOutOfRangeException(name, port, $"{name} must be from 0 to 65535 (0 picks a free port).");
            }
        }

        if (DtlsIdleTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(DtlsIdleTimeout), DtlsIdleTimeout, "DtlsIdleTimeout must be positive, or null to keep idle peers.");
        }
    }
}

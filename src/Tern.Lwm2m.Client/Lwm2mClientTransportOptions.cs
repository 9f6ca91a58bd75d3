using System.Net;
using Microsoft.Extensions.Logging;
using Tern.Coap.Endpoint;

namespace Tern.Lwm2m.Client;

/// <summary>Settings of <see cref="Lwm2mClientTransport.CreateAsync(Configuration.Lwm2mSecurityInstance, Lwm2mClientTransportOptions?, CancellationToken)"/>.</summary>
public sealed class Lwm2mClientTransportOptions
{
    /// <summary>The local UDP address for plain CoAP (any IPv4 address, a free port, unless set). DTLS always binds a free port.</summary>
    public IPEndPoint LocalEndPoint { get; init; } = new(IPAddress.Any, 0);

    /// <summary>A DTLS handshake not completed after this long fails with <c>HandshakeTimeout</c>.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>After this long without traffic the DTLS session is closed; the next exchange opens (or resumes) one. Null keeps it.</summary>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>Settings of the CoAP endpoint; defaults when null.</summary>
    public CoapEndpointOptions? Coap { get; init; }

    /// <summary>The clock; <see cref="TimeProvider.System"/> when null.</summary>
    public TimeProvider? Time { get; init; }

    /// <summary>Logging; none when null.</summary>
    public ILoggerFactory? Loggers { get; init; }

    /// <summary>
    /// Wraps the datagram transport (UDP, or DTLS carrying plaintext CoAP) before the endpoint uses it, e.g.
    /// <c>CoapMessageRecorder.Wrap</c> to record the messages for a sequence chart; null uses it as it is.
    /// </summary>
    public Func<Tern.Coap.Transport.ICoapTransport, Tern.Coap.Transport.ICoapTransport>? WrapTransport { get; init; }
}

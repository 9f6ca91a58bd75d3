using System.Net;

namespace Tern.Coap.Transport;

/// <summary>
/// The address of a remote CoAP endpoint as a transport sees it. Engines key exchanges,
/// deduplication and observations by it; transports translate it to their own address form.
/// </summary>
/// <param name="EndPoint">The remote socket address (a real one for UDP, a made-up one on the virtual network).</param>
public readonly record struct CoapPeer(IPEndPoint EndPoint)
{
    /// <inheritdoc />
    public override string ToString() => EndPoint.ToString();
}

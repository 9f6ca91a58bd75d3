using Tern.Coap.Messages;
using Tern.Coap.Transport;

namespace Tern.Coap.Endpoint;

/// <summary>One incoming request as a <see cref="ICoapRequestHandler"/> sees it.</summary>
public sealed class CoapRequestContext
{
    private readonly CoapEndpoint _endpoint;

    internal CoapRequestContext(CoapEndpoint endpoint, long requestId, CoapPeer peer, CoapMessage request)
    {
        _endpoint = endpoint;
        RequestId = requestId;
        Peer = peer;
        Request = request;
    }

    /// <summary>The request message (block-wise uploads arrive reassembled).</summary>
    public CoapMessage Request { get; }

    /// <summary>The client.</summary>
    public CoapPeer Peer { get; }

    /// <summary>The engine's id for this request (for logs).</summary>
    public long RequestId { get; }

    /// <summary>True for a GET or FETCH (RFC 8132) with Observe=0: the handler may call <see cref="AcceptObservation"/>.</summary>
    public bool IsObserveRegistration => (Request.Code == CoapCode.Get || Request.Code == CoapCode.Fetch) && Request.Observe == 0;

    /// <summary>
    /// Registers the client as an observer; the response the handler returns becomes the first notification and
    /// carries an Observe value. Returns null when the observer limit is reached (the request is then served plainly).
    /// Throws <see cref="InvalidOperationException"/> unless <see cref="IsObserveRegistration"/>.
    /// </summary>
    public CoapObserver? AcceptObservation() => _endpoint.AcceptObservation(this);

    /// <summary>
    /// Keeps the Observe option the handler puts in its response, for an observation the application tracks itself
    /// and notifies with <see cref="CoapEndpoint.SendNotificationAsync"/> (no observer is registered here).
    /// </summary>
    public void KeepObserveOption() => _endpoint.KeepObserveOption(RequestId);

    /// <summary>Sends the empty ACK now, so the response will follow as a separate message (useful before slow work).</summary>
    public void Acknowledge() => _endpoint.Acknowledge(RequestId);
}

using Tern.Coap.Messages;
using Tern.Coap.Transport;

namespace Tern.Coap.Engine;

/// <summary>Something the engine tells its driver: a request to serve, a response, a failure.</summary>
public abstract record CoapEngineEvent;

/// <summary>
/// Server role: a request arrived (already deduplicated, options checked). The application answers with
/// <see cref="CoapEngine.Respond"/> using <paramref name="RequestId"/>.
/// </summary>
/// <param name="RequestId">The handle for <see cref="CoapEngine.Respond"/>, <see cref="CoapEngine.Acknowledge"/>, <see cref="CoapEngine.AcceptObservation"/>.</param>
/// <param name="Peer">Who sent it.</param>
/// <param name="Request">The request message.</param>
public sealed record CoapRequestReceived(long RequestId, CoapPeer Peer, CoapMessage Request) : CoapEngineEvent;

/// <summary>Client role: the response to a request (for an observation, the registration response).</summary>
/// <param name="ExchangeId">The id <see cref="CoapEngine.SendRequest"/> returned.</param>
/// <param name="Peer">The server.</param>
/// <param name="Response">The response; block-wise bodies arrive reassembled.</param>
public sealed record CoapResponseReceived(long ExchangeId, CoapPeer Peer, CoapMessage Response) : CoapEngineEvent
{
    /// <summary>True when this answers a GET with Observe=0 and the server accepted: notifications follow under the same id.</summary>
    public bool StartsObservation { get; init; }
}

/// <summary>Client role: a fresh notification of an observation, in order (stale ones are dropped, RFC 7641 §3.4).</summary>
/// <param name="ExchangeId">The id of the observation's registration request.</param>
/// <param name="Peer">The server.</param>
/// <param name="Notification">The notification.</param>
/// <param name="IsLast">True when the server ended the observation with this message (no Observe option or an error code).</param>
public sealed record CoapNotificationReceived(long ExchangeId, CoapPeer Peer, CoapMessage Notification, bool IsLast) : CoapEngineEvent;

/// <summary>An outbound message that expects no response finished: a ping was answered, a notification or separate response delivered.</summary>
/// <param name="ExchangeId">The id returned when it was sent.</param>
public sealed record CoapExchangeCompleted(long ExchangeId) : CoapEngineEvent;

/// <summary>An exchange ended without success.</summary>
/// <param name="ExchangeId">The id returned when it was started (for a failed separate response: the request id).</param>
/// <param name="Kind">What went wrong.</param>
/// <param name="Reason">A human-readable detail for logs.</param>
public sealed record CoapExchangeFailed(long ExchangeId, CoapErrorKind Kind, string Reason) : CoapEngineEvent;

/// <summary>Server role: an observer went away (RST, failed confirmable notification, deregistration).</summary>
/// <param name="ObserverId">The id <see cref="CoapEngine.AcceptObservation"/> returned.</param>
/// <param name="Reason">Why.</param>
public sealed record CoapObserverRemoved(long ObserverId, CoapObserverRemovalReason Reason) : CoapEngineEvent;

/// <summary>Why the engine removed an observer.</summary>
public enum CoapObserverRemovalReason
{
    /// <summary>The client answered a notification with RST.</summary>
    Reset = 1,

    /// <summary>A confirmable notification was never acknowledged.</summary>
    Timeout,

    /// <summary>The client sent GET with Observe=1, or re-registered the same token.</summary>
    Deregistered,

    /// <summary>The application ended it (error response, cancel).</summary>
    Cancelled,
}

/// <summary>A datagram the driver must send.</summary>
/// <param name="Peer">The destination.</param>
/// <param name="Datagram">The encoded message.</param>
public readonly record struct CoapOutgoingDatagram(CoapPeer Peer, ReadOnlyMemory<byte> Datagram);

/// <summary>A datagram or message the engine dropped or rejected, for logs and counters.</summary>
/// <param name="Peer">The sender.</param>
/// <param name="Reason">What was wrong with it.</param>
public sealed record CoapInputRejected(CoapPeer Peer, CoapRejectReason Reason) : CoapEngineEvent;

/// <summary>Why incoming input was not processed normally.</summary>
public enum CoapRejectReason
{
    /// <summary>Longer than the configured maximum datagram size: ignored.</summary>
    TooLong = 1,

    /// <summary>No readable header or version ≠ 1: ignored.</summary>
    Unreadable,

    /// <summary>A format error in a CON: answered with RST.</summary>
    MalformedConfirmable,

    /// <summary>A format error in a NON, ACK or RST: ignored.</summary>
    Malformed,

    /// <summary>A duplicate (peer, message ID): the cached reply, if any, was sent again.</summary>
    Duplicate,

    /// <summary>An unrecognized critical option: 4.02 for a CON request, RST for a NON request or a CON response.</summary>
    UnrecognizedCriticalOption,

    /// <summary>An ACK or RST matching nothing we sent: ignored.</summary>
    UnmatchedAcknowledgement,

    /// <summary>A response whose token matches no request: RST for CON (and for NON notifications), otherwise ignored.</summary>
    UnmatchedResponse,

    /// <summary>A message combination the RFC does not allow (request in an ACK, RST with a code, empty NON): ignored.</summary>
    Unexpected,

    /// <summary>Too many requests waiting for the application: a CON is answered 5.03, a NON ignored.</summary>
    Overloaded,

    /// <summary>An observe notification older than the last one delivered (RFC 7641 §3.4): dropped.</summary>
    StaleNotification,

    /// <summary>The remaining blocks of a block-wise notification could not be fetched: that notification is dropped.</summary>
    IncompleteBlockwiseNotification,
}

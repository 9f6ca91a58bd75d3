using Tern.Coap.Messages;
using Tern.Coap.Transport;

namespace Tern.Coap.Engine;

public sealed partial class CoapEngine
{
    /// <summary>
    /// Server role: the response to request <paramref name="requestId"/> keeps the Observe option the application
    /// sets (normally it is removed unless <see cref="AcceptObservation"/> registered an observer). For observations
    /// the application tracks itself and notifies through <see cref="SendNotification"/>.
    /// </summary>
    /// <param name="requestId">The request, not yet answered.</param>
    /// <param name="now">The current time.</param>
    public void KeepObserveOption(long requestId, DateTimeOffset now)
    {
        OnTimer(now);
        if (!_incoming.TryGetValue(requestId, out ServerExchange? exchange))
        {
            throw new InvalidOperationException($"Request {requestId} is unknown or already answered.");
        }

        exchange.ApplicationObserve = true;
    }

    /// <summary>
    /// Server role: sends a notification for an observation the application keeps itself (outside the observer
    /// registry), e.g. LwM2M, where an observation outlives a lost notification and stored notifications follow
    /// later. The message keeps the caller's token and Observe option. A confirmable one is retransmitted until
    /// acknowledged: <see cref="CoapExchangeCompleted"/> on ACK, <see cref="CoapExchangeFailed"/> with
    /// <see cref="CoapErrorKind.Reset"/> on RST (the client cancels) or <see cref="CoapErrorKind.Timeout"/>; a
    /// non-confirmable one completes once emitted. Nothing is registered or removed.
    /// </summary>
    /// <param name="peer">The observing client.</param>
    /// <param name="notification">A response (2.xx–5.xx) with the observation's token and, usually, an Observe option.</param>
    /// <param name="confirmable">True for CON.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The exchange id the outcome events carry.</returns>
    public long SendNotification(CoapPeer peer, CoapMessage notification, bool confirmable, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (!notification.Code.IsResponse)
        {
            throw new ArgumentException($"A notification needs a response code (2.xx–5.xx), not {notification.Code}.", nameof(notification));
        }

        OnTimer(now);
        CoapMessageCodec.GetEncodedLength(notification);
        long id = NextId();
        ushort messageId = NextMessageId(peer);

        // Encoded with this exchange's type and message id, then the caller's values are put back: no clone of the
        // message per notification, and the caller sees its message unchanged.
        (CoapMessageType callerType, ushort callerMessageId) = (notification.Type, notification.MessageId);
        notification.Type = confirmable ? CoapMessageType.Confirmable : CoapMessageType.NonConfirmable;
        notification.MessageId = messageId;
        byte[] bytes;
        try
        {
            bytes = EncodeResponse(notification);
        }
        finally
        {
            (notification.Type, notification.MessageId) = (callerType, callerMessageId);
        }

        if (confirmable)
        {
            // Only a confirmable notification is remembered, for retransmission and its ACK or RST.
            TransmitConfirmable(new NotificationSend { Id = id, Peer = peer, ObserverId = 0, MessageId = messageId, Bytes = bytes }, now);
        }
        else
        {
            Emit(peer, bytes);
            Raise(new CoapExchangeCompleted(id));
        }

        return id;
    }
}

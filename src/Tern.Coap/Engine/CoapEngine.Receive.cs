using Tern.Coap.Messages;
using Tern.Coap.Transport;

namespace Tern.Coap.Engine;

public sealed partial class CoapEngine
{
    /// <summary>
    /// Tells the engine a datagram arrived from <paramref name="peer"/> at <paramref name="now"/>. Any bytes are
    /// accepted; bad ones are answered or ignored as RFC 7252 §4.2, §4.3 and §5.4.1 prescribe.
    /// </summary>
    public void OnDatagram(CoapPeer peer, ReadOnlySpan<byte> datagram, DateTimeOffset now)
    {
        OnTimer(now);
        if (datagram.Length > _options.MaxDatagramSize)
        {
            Reject(peer, CoapRejectReason.TooLong);
            return;
        }

        CoapFormatError error = CoapMessageReader.TryParse(datagram, out CoapMessageReader reader);
        if (error != CoapFormatError.None)
        {
            OnMalformed(peer, error, reader.Header);
            return;
        }

        CoapHeader header = reader.Header;
        if (header.Code.IsEmpty)
        {
            OnEmptyMessage(peer, header, now);
            return;
        }

        if (header.Type == CoapMessageType.Reset || (header.Type == CoapMessageType.Acknowledgement && header.Code.IsRequest))
        {
            // RST must be empty; a request cannot travel in an ACK (RFC 7252 §4.2, §4.3).
            Reject(peer, CoapRejectReason.Unexpected);
            return;
        }

        CoapMessageCodec.TryDecode(datagram, out CoapMessage? message);
        if (header.Code.IsRequest)
        {
            OnRequest(peer, message!, now);
        }
        else if (header.Type == CoapMessageType.Acknowledgement)
        {
            OnPiggybackedResponse(peer, message!, now);
        }
        else
        {
            OnSeparateResponse(peer, message!, now);
        }
    }

    private void OnMalformed(CoapPeer peer, CoapFormatError error, CoapHeader header)
    {
        if (error is CoapFormatError.TruncatedHeader or CoapFormatError.UnsupportedVersion)
        {
            Reject(peer, CoapRejectReason.Unreadable);
        }
        else if (header.Type == CoapMessageType.Confirmable)
        {
            SendReset(peer, header.MessageId);
            Reject(peer, CoapRejectReason.MalformedConfirmable);
        }
        else
        {
            Reject(peer, CoapRejectReason.Malformed);
        }
    }

    private void OnEmptyMessage(CoapPeer peer, CoapHeader header, DateTimeOffset now)
    {
        switch (header.Type)
        {
            case CoapMessageType.Confirmable:
                // "CoAP ping": an empty CON is answered with RST (RFC 7252 §4.3).
                SendReset(peer, header.MessageId);
                break;
            case CoapMessageType.Acknowledgement:
                OnEmptyAck(peer, header.MessageId, now);
                break;
            case CoapMessageType.Reset:
                OnReset(peer, header.MessageId, now);
                break;
            default:
                Reject(peer, CoapRejectReason.Unexpected);
                break;
        }
    }

    private void OnEmptyAck(CoapPeer peer, ushort messageId, DateTimeOffset now)
    {
        if (!_awaitingAck.TryGetValue(new MessageKey(peer, messageId), out Outbound? outbound) || !outbound.AwaitingAck)
        {
            Reject(peer, CoapRejectReason.UnmatchedAcknowledgement);
            return;
        }

        StopAwaitingAck(outbound);
        Unschedule(outbound);
        switch (outbound)
        {
            case ClientExchange client:
                OnClientAcknowledged(client, now);
                break;
            case NotificationSend notification:
                OnNotificationAcknowledged(notification);
                break;
            case ServerExchange server:
                Raise(new CoapExchangeCompleted(server.Id));
                break;
        }
    }

    private void OnReset(CoapPeer peer, ushort messageId, DateTimeOffset now)
    {
        if (!_awaitingAck.TryGetValue(new MessageKey(peer, messageId), out Outbound? outbound))
        {
            Reject(peer, CoapRejectReason.UnmatchedAcknowledgement);
            return;
        }

        bool wasAwaitingAck = outbound.AwaitingAck;
        StopAwaitingAck(outbound);
        Unschedule(outbound);
        switch (outbound)
        {
            case ClientExchange client:
                OnClientReset(client, now);
                break;
            case NotificationSend notification:
                OnNotificationReset(notification, wasAwaitingAck);
                break;
            case ServerExchange server:
                OnSeparateResponseFailed(server, CoapErrorKind.Reset, "The client rejected the separate response with RST.");
                break;
        }
    }

    private bool IsRecognized(ushort number) =>
        number is CoapOptionNumber.IfMatch or CoapOptionNumber.UriHost or CoapOptionNumber.ETag or CoapOptionNumber.IfNoneMatch
            or CoapOptionNumber.Observe or CoapOptionNumber.UriPort or CoapOptionNumber.LocationPath or CoapOptionNumber.UriPath
            or CoapOptionNumber.ContentFormat or CoapOptionNumber.MaxAge or CoapOptionNumber.UriQuery or CoapOptionNumber.Accept
            or CoapOptionNumber.LocationQuery or CoapOptionNumber.Block2 or CoapOptionNumber.Block1 or CoapOptionNumber.Size2
            or CoapOptionNumber.ProxyUri or CoapOptionNumber.ProxyScheme or CoapOptionNumber.Size1 or CoapOptionNumber.NoResponse
        || _options.AdditionalRecognizedOptions.Contains(number);

    private bool TryFindUnrecognizedCriticalOption(CoapMessage message, out ushort number)
    {
        foreach (CoapOption option in message.Options)
        {
            if (CoapOptionNumber.IsCritical(option.Number) && !IsRecognized(option.Number))
            {
                number = option.Number;
                return true;
            }
        }

        number = 0;
        return false;
    }
}

using Tern.Coap.Messages;
using Tern.Coap.Transport;

namespace Tern.Coap.Engine;

/// <summary>Client role: matching responses to outstanding requests (RFC 7252 §5.3.2) and handing them on.</summary>
public sealed partial class CoapEngine
{
    private void OnPiggybackedResponse(CoapPeer peer, CoapMessage response, DateTimeOffset now)
    {
        if (!_awaitingAck.TryGetValue(new MessageKey(peer, response.MessageId), out Outbound? outbound)
            || outbound is not ClientExchange { AwaitingAck: true } exchange
            || !exchange.Request.Token.Span.SequenceEqual(response.Token.Span))
        {
            Reject(peer, CoapRejectReason.UnmatchedAcknowledgement);
            return;
        }

        StopAwaitingAck(exchange);
        Unschedule(exchange);
        if (TryFindUnrecognizedCriticalOption(response, out ushort number))
        {
            Reject(peer, CoapRejectReason.UnrecognizedCriticalOption);
            Fail(exchange, CoapErrorKind.ProtocolError, $"The response carries unrecognized critical option {number}.", now);
            return;
        }

        Release(exchange, now);
        OnClientResponse(exchange, response, now);
    }

    private void OnSeparateResponse(CoapPeer peer, CoapMessage response, DateTimeOffset now)
    {
        var key = new MessageKey(peer, response.MessageId);
        bool confirmable = response.Type == CoapMessageType.Confirmable;
        if (_dedup.TryGet(key, out DeduplicationCache.Entry entry))
        {
            if (entry.Reply is { } reply)
            {
                Emit(peer, reply);
            }

            Reject(peer, CoapRejectReason.Duplicate);
            return;
        }

        if (!_byToken.TryGetValue(TokenKey.From(peer, response.Token.Span), out ClientExchange? exchange) || exchange.State == ClientState.Queued)
        {
            // Unknown token: reject a CON, and a NON notification so the server forgets us (RFC 7641 §3.6); ignore other NONs.
            if (confirmable || response.Observe is not null)
            {
                byte[] reset = EmptyMessage(CoapMessageType.Reset, response.MessageId);
                _dedup.Add(key, confirmable, now, reset);
                Emit(peer, reset);
            }

            Reject(peer, CoapRejectReason.UnmatchedResponse);
            return;
        }

        if (TryFindUnrecognizedCriticalOption(response, out _))
        {
            if (confirmable)
            {
                SendReset(peer, response.MessageId);
            }

            Reject(peer, CoapRejectReason.UnrecognizedCriticalOption);
            return;
        }

        byte[]? ack = confirmable ? EmptyMessage(CoapMessageType.Acknowledgement, response.MessageId) : null;
        _dedup.Add(key, confirmable, now, ack);
        if (ack is not null)
        {
            Emit(peer, ack);
        }

        if (exchange.AwaitingAck)
        {
            // The ACK was lost but the response came: it acknowledges the request too.
            StopAwaitingAck(exchange);
            Unschedule(exchange);
        }

        if (exchange.State != ClientState.Observing)
        {
            Release(exchange, now);
        }

        OnClientResponse(exchange, response, now);
    }

    private void OnClientResponse(ClientExchange exchange, CoapMessage response, DateTimeOffset now)
    {
        if (exchange.State == ClientState.Observing)
        {
            OnNotification(exchange, response, now);
            return;
        }

        Unschedule(exchange);
        if (exchange.Parent is { } parent)
        {
            OnFetchedBlock(exchange, parent, response, now);
            return;
        }

        if (exchange.Upload is not null && ContinueUpload(exchange, response, now))
        {
            return;
        }

        if (_options.FollowBlock2 && HasMoreBlocks(response))
        {
            StartBlockFetch(exchange, response, forNotification: false, now);
            return;
        }

        Deliver(exchange, response, now);
    }

    /// <summary>Hands a whole response to the application; an accepted observation stays open.</summary>
    private void Deliver(ClientExchange exchange, CoapMessage response, DateTimeOffset now)
    {
        if (exchange.IsObserveRegistration && response.Code.IsSuccess && response.Observe is { } sequence)
        {
            BeginObserving(exchange, sequence, now);
            Raise(new CoapResponseReceived(exchange.Id, exchange.Peer, response) { StartsObservation = true });
            return;
        }

        Complete(exchange, now);
        Raise(new CoapResponseReceived(exchange.Id, exchange.Peer, response));
    }
}

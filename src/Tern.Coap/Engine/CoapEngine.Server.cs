using System.Text;
using Tern.Coap.Blockwise;
using Tern.Coap.Messages;
using Tern.Coap.Transport;

namespace Tern.Coap.Engine;

public sealed partial class CoapEngine
{
    private readonly Dictionary<long, ServerExchange> _incoming = [];
    private int _separateInFlight;

    /// <summary>Incoming requests handed to the application and not answered yet; never above <see cref="CoapEngineOptions.MaxIncomingRequests"/>.</summary>
    public int IncomingRequestCount => _incoming.Count;

    /// <summary>
    /// Answers the request <paramref name="requestId"/> from a <see cref="CoapRequestReceived"/>. Piggybacked on the
    /// ACK while the CON request is not acknowledged yet; otherwise a separate response (CON unless
    /// <paramref name="response"/> is typed NON; always NON for a NON request). Token, message ID and type are set by
    /// the engine. A confirmable separate response ends with <see cref="CoapExchangeCompleted"/> or
    /// <see cref="CoapExchangeFailed"/> carrying <paramref name="requestId"/>.
    /// </summary>
    public void Respond(long requestId, CoapMessage response, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!response.Code.IsResponse)
        {
            throw new ArgumentException($"A response needs a response code (2.xx–5.xx), not {response.Code}.", nameof(response));
        }

        OnTimer(now);
        CoapMessageCodec.GetEncodedLength(response); // refuses, before any state changes, what the wire cannot carry
        if (!_incoming.Remove(requestId, out ServerExchange? exchange))
        {
            throw new InvalidOperationException($"Request {requestId} is unknown or already answered; answer each CoapRequestReceived exactly once.");
        }

        Unschedule(exchange);
        CoapMessage message = Clone(response);
        message.Token = exchange.Request.Token;
        message = SliceResponse(exchange.Peer, exchange.Request, message);
        if (exchange.Block1Echo is { } echo)
        {
            message.SetBlock1(echo);
        }

        ApplyObserveToResponse(exchange, message, now);
        SendResponse(exchange, message, preferNonConfirmable: response.Type == CoapMessageType.NonConfirmable, now);
    }

    /// <summary>
    /// Sends the empty ACK for a CON request now, so the response will go separately (RFC 7252 §5.2.2).
    /// Does nothing for a NON request or one already acknowledged.
    /// </summary>
    public void Acknowledge(long requestId, DateTimeOffset now)
    {
        OnTimer(now);
        if (!_incoming.TryGetValue(requestId, out ServerExchange? exchange))
        {
            throw new InvalidOperationException($"Request {requestId} is unknown or already answered.");
        }

        AcknowledgeEmpty(exchange);
    }

    private void OnRequest(CoapPeer peer, CoapMessage request, DateTimeOffset now)
    {
        var key = new MessageKey(peer, request.MessageId);
        bool confirmable = request.Type == CoapMessageType.Confirmable;
        if (_dedup.TryGet(key, out DeduplicationCache.Entry entry))
        {
            if (entry.Reply is { } reply)
            {
                Emit(peer, reply);
            }
            else if (confirmable && _incoming.TryGetValue(entry.RequestId, out ServerExchange? working))
            {
                // The client retransmits while the application still works: stop it with an empty ACK now.
                AcknowledgeEmpty(working);
            }

            Reject(peer, CoapRejectReason.Duplicate);
            return;
        }

        if (TryFindUnrecognizedCriticalOption(request, out ushort number))
        {
            Reject(peer, CoapRejectReason.UnrecognizedCriticalOption);
            if (confirmable)
            {
                var badOption = new CoapMessage
                {
                    Type = CoapMessageType.Acknowledgement,
                    Code = CoapCode.BadOption,
                    MessageId = request.MessageId,
                    Token = request.Token,
                    Payload = Encoding.UTF8.GetBytes($"Unrecognized critical option {number}"),
                };
                byte[] bytes = CoapMessageCodec.Encode(badOption);
                _dedup.Add(key, confirmable, now, bytes);
                Emit(peer, bytes);
            }
            else
            {
                // A NON cannot be answered with 4.02; RFC 7252 §4.3 lets us reject it with RST, which we do.
                byte[] reset = EmptyMessage(CoapMessageType.Reset, request.MessageId);
                _dedup.Add(key, confirmable, now, reset);
                Emit(peer, reset);
            }

            return;
        }

        if (TryAnswerBlockwise(peer, request, key, now, out BlockOption? block1Echo))
        {
            return;
        }

        if (_incoming.Count >= _options.MaxIncomingRequests)
        {
            Reject(peer, CoapRejectReason.Overloaded);
            if (confirmable)
            {
                // No dedup entry: a retransmission may find room later.
                Emit(peer, CoapMessageCodec.Encode(new CoapMessage
                {
                    Type = CoapMessageType.Acknowledgement,
                    Code = CoapCode.ServiceUnavailable,
                    MessageId = request.MessageId,
                    Token = request.Token,
                }));
            }

            return;
        }

        DeregisterOnObserveCancel(peer, request);
        var exchange = new ServerExchange
        {
            Id = NextId(),
            Peer = peer,
            Request = request,
            RequestKey = key,
            RequestConfirmable = confirmable,
            Block1Echo = block1Echo,
        };
        _incoming[exchange.Id] = exchange;
        _dedup.Add(key, confirmable, now, requestId: exchange.Id);
        if (confirmable && _options.SeparateResponseDelay is { } delay)
        {
            Schedule(exchange, now + delay);
        }

        Raise(new CoapRequestReceived(exchange.Id, peer, request));
    }

    private void AcknowledgeEmpty(ServerExchange exchange)
    {
        if (!exchange.RequestConfirmable || exchange.Acknowledged)
        {
            return;
        }

        exchange.Acknowledged = true;
        Unschedule(exchange);
        byte[] ack = EmptyMessage(CoapMessageType.Acknowledgement, exchange.RequestKey.MessageId);
        _dedup.SetReply(exchange.RequestKey, ack);
        Emit(exchange.Peer, ack);
    }

    private void SendResponse(ServerExchange exchange, CoapMessage message, bool preferNonConfirmable, DateTimeOffset now)
    {
        if (exchange.RequestConfirmable && !exchange.Acknowledged)
        {
            message.Type = CoapMessageType.Acknowledgement;
            message.MessageId = exchange.RequestKey.MessageId;
            byte[] bytes = EncodeResponse(message);
            _dedup.SetReply(exchange.RequestKey, bytes);
            Emit(exchange.Peer, bytes);
            return;
        }

        // Confirmable separate responses in flight are capped like incoming requests; beyond that they go NON.
        bool confirmable = exchange.RequestConfirmable && !preferNonConfirmable && _separateInFlight < _options.MaxIncomingRequests;
        message.Type = confirmable ? CoapMessageType.Confirmable : CoapMessageType.NonConfirmable;
        exchange.MessageId = NextMessageId(exchange.Peer);
        message.MessageId = exchange.MessageId;
        exchange.Bytes = EncodeResponse(message);
        if (confirmable)
        {
            _separateInFlight++;
            exchange.CountedInFlight = true;
            TransmitConfirmable(exchange, now);
        }
        else
        {
            Emit(exchange.Peer, exchange.Bytes);
        }
    }

    private void SeparateResponseDone(ServerExchange exchange)
    {
        if (exchange.CountedInFlight)
        {
            exchange.CountedInFlight = false;
            _separateInFlight--;
        }
    }

    /// <summary>Encodes a response; one that cannot fit a datagram is replaced by a bare 5.00 so the client is not left waiting.</summary>
    private byte[] EncodeResponse(CoapMessage message)
    {
        byte[] bytes = CoapMessageCodec.Encode(message);
        if (bytes.Length <= _options.MaxDatagramSize)
        {
            return bytes;
        }

        return CoapMessageCodec.Encode(new CoapMessage
        {
            Type = message.Type,
            Code = CoapCode.InternalServerError,
            MessageId = message.MessageId,
            Token = message.Token,
        });
    }

    private void OnServerTimer(ServerExchange exchange, DateTimeOffset now)
    {
        if (exchange.AwaitingAck)
        {
            if (!Retransmit(exchange, now))
            {
                OnSeparateResponseFailed(exchange, CoapErrorKind.Timeout, "The separate response was never acknowledged.");
            }
        }
        else if (_incoming.ContainsKey(exchange.Id))
        {
            // The application is slow: acknowledge now and let the response follow separately.
            AcknowledgeEmpty(exchange);
        }
    }

    private void OnSeparateResponseFailed(ServerExchange exchange, CoapErrorKind kind, string reason)
    {
        SeparateResponseDone(exchange);
        RemoveObserverOf(exchange.Peer, exchange.Request.Token.Span, kind == CoapErrorKind.Reset ? CoapObserverRemovalReason.Reset : CoapObserverRemovalReason.Timeout);
        Raise(new CoapExchangeFailed(exchange.Id, kind, reason));
    }

    /// <summary>A request we received, from arrival until its response is acknowledged.</summary>
    private sealed class ServerExchange : Outbound
    {
        public required CoapMessage Request { get; init; }

        public MessageKey RequestKey { get; init; }

        public bool RequestConfirmable { get; init; }

        public bool Acknowledged { get; set; }

        public long ObserverId { get; set; }

        public bool ApplicationObserve { get; set; }

        public BlockOption? Block1Echo { get; init; }

        public bool CountedInFlight { get; set; }
    }
}

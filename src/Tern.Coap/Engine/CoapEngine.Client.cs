using Tern.Coap.Blockwise;
using Tern.Coap.Messages;
using Tern.Coap.Observe;
using Tern.Coap.Transport;

namespace Tern.Coap.Engine;

public sealed partial class CoapEngine
{
    private readonly Dictionary<long, ClientExchange> _clients = [];
    private readonly Dictionary<TokenKey, ClientExchange> _byToken = [];
    private readonly Dictionary<CoapPeer, PeerState> _peers = [];

    /// <summary>Requests in flight, queued behind NSTART, or observing; never above <see cref="CoapEngineOptions.MaxPendingExchanges"/>.</summary>
    public int PendingExchangeCount => _clients.Count;

    /// <summary>
    /// Starts a request to <paramref name="peer"/>. The engine assigns the message ID and, when the request has
    /// no token, a random one; the caller's message is not modified. A CON or NON request waits while another
    /// request to the same peer is outstanding (NSTART = 1). The outcome arrives as <see cref="CoapResponseReceived"/>
    /// or <see cref="CoapExchangeFailed"/> with the returned id. A GET or FETCH (RFC 8132) with Observe=0 keeps the
    /// exchange open for <see cref="CoapNotificationReceived"/> when the server accepts; notifications are matched by token.
    /// </summary>
    public long SendRequest(CoapPeer peer, CoapMessage request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Code.IsRequest)
        {
            throw new ArgumentException($"SendRequest needs a request code (0.01–0.31), not {request.Code}.", nameof(request));
        }

        if (request.Type is not (CoapMessageType.Confirmable or CoapMessageType.NonConfirmable))
        {
            throw new ArgumentException("A request travels as CON or NON.", nameof(request));
        }

        if (request.Token.Length > 8)
        {
            throw new ArgumentException("A CoAP token is at most 8 bytes long.", nameof(request));
        }

        OnTimer(now);
        CoapMessageCodec.GetEncodedLength(request); // refuses what the wire cannot carry
        CoapMessage message = Clone(request);
        var exchange = new ClientExchange { Id = NextId(), Peer = peer, Request = message };
        if (_clients.Count >= _options.MaxPendingExchanges)
        {
            Raise(new CoapExchangeFailed(exchange.Id, CoapErrorKind.CapacityExceeded, $"{_clients.Count} exchanges are already pending (MaxPendingExchanges)."));
            return exchange.Id;
        }

        if (message.Token.IsEmpty)
        {
            message.Token = NewToken(peer);
        }
        else if (_byToken.ContainsKey(TokenKey.From(peer, message.Token.Span)))
        {
            throw new InvalidOperationException("Another exchange with this peer already uses this token; leave the token empty to get a fresh one.");
        }

        exchange.TokenKey = TokenKey.From(peer, message.Token.Span);
        PrepareUpload(exchange);
        exchange.IsObserveRegistration = IsObservable(message.Code) && message.Observe == 0;
        _byToken[exchange.TokenKey] = exchange;
        _clients[exchange.Id] = exchange;
        Enqueue(exchange, now);
        return exchange.Id;
    }

    /// <summary>Sends an empty CON ("CoAP ping"); a RST (or ACK) back raises <see cref="CoapExchangeCompleted"/>.</summary>
    public long SendPing(CoapPeer peer, DateTimeOffset now)
    {
        OnTimer(now);
        var exchange = new ClientExchange { Id = NextId(), Peer = peer, Request = new CoapMessage { Type = CoapMessageType.Confirmable }, IsPing = true };
        if (_clients.Count >= _options.MaxPendingExchanges)
        {
            Raise(new CoapExchangeFailed(exchange.Id, CoapErrorKind.CapacityExceeded, "Too many pending exchanges (MaxPendingExchanges)."));
            return exchange.Id;
        }

        _clients[exchange.Id] = exchange;
        Enqueue(exchange, now);
        return exchange.Id;
    }

    /// <summary>
    /// Abandons a request or observation. Raises <see cref="CoapExchangeFailed"/> with <see cref="CoapErrorKind.Cancelled"/>;
    /// an observation cancelled this way is ended by RST when the next notification arrives. Unknown ids are ignored.
    /// </summary>
    public void Cancel(long exchangeId, DateTimeOffset now)
    {
        OnTimer(now);
        if (_clients.TryGetValue(exchangeId, out ClientExchange? exchange))
        {
            Fail(exchange, CoapErrorKind.Cancelled, "Cancelled by the application.", now);
        }
    }

    /// <summary>The methods an observation can be registered with: GET (RFC 7641) and FETCH (RFC 8132 §2.4).</summary>
    private static bool IsObservable(CoapCode code) => code == CoapCode.Get || code == CoapCode.Fetch;

    private ReadOnlyMemory<byte> NewToken(CoapPeer peer)
    {
        byte[] token = new byte[_options.TokenLength];
        for (int attempt = 0; attempt < 8; attempt++)
        {
            _random.NextBytes(token);
            if (!_byToken.ContainsKey(TokenKey.From(peer, token)))
            {
                break;
            }
        }

        return token;
    }

    private PeerState GetPeer(CoapPeer peer)
    {
        if (!_peers.TryGetValue(peer, out PeerState? state))
        {
            state = new PeerState();
            _peers[peer] = state;
        }

        return state;
    }

    private void Enqueue(ClientExchange exchange, DateTimeOffset now)
    {
        PeerState state = GetPeer(exchange.Peer);
        if (state.Outstanding is null)
        {
            Start(exchange, state, now);
        }
        else
        {
            exchange.State = ClientState.Queued;
            state.Waiting.Enqueue(exchange);
        }
    }

    private void Start(ClientExchange exchange, PeerState state, DateTimeOffset now)
    {
        CoapMessage message = exchange.Request;
        exchange.MessageId = NextMessageId(exchange.Peer);
        message.MessageId = exchange.MessageId;
        exchange.Bytes = CoapMessageCodec.Encode(message);
        if (exchange.Bytes.Length > _options.MaxDatagramSize)
        {
            Fail(exchange, CoapErrorKind.TooLarge, $"The request is {exchange.Bytes.Length} bytes; the datagram limit is {_options.MaxDatagramSize}.", now);
            return;
        }

        state.Outstanding = exchange;
        if (message.Type == CoapMessageType.Confirmable)
        {
            exchange.State = ClientState.AwaitingAck;
            TransmitConfirmable(exchange, now);
        }
        else
        {
            // A NON request stays outstanding (NSTART) until its response arrives; RST may still reject it.
            exchange.State = ClientState.AwaitingResponse;
            exchange.Confirmable = false;
            _awaitingAck[new MessageKey(exchange.Peer, exchange.MessageId)] = exchange;
            Emit(exchange.Peer, exchange.Bytes);
            Schedule(exchange, now + _options.ResponseTimeout);
        }
    }

    private void Release(ClientExchange exchange, DateTimeOffset now)
    {
        if (!_peers.TryGetValue(exchange.Peer, out PeerState? state) || !ReferenceEquals(state.Outstanding, exchange))
        {
            return;
        }

        state.Outstanding = null;
        while (state.Outstanding is null && state.Waiting.TryDequeue(out ClientExchange? next))
        {
            if (next.State == ClientState.Queued && _clients.ContainsKey(next.Id))
            {
                Start(next, state, now);
            }
        }

        if (state.Outstanding is null && state.Waiting.Count == 0)
        {
            _peers.Remove(exchange.Peer);
        }
    }

    private void OnClientTimer(ClientExchange exchange, DateTimeOffset now)
    {
        if (exchange.State == ClientState.AwaitingAck)
        {
            if (!Retransmit(exchange, now))
            {
                Fail(exchange, CoapErrorKind.Timeout, $"No acknowledgement after {_options.Transmission.MaxRetransmit} retransmissions.", now);
            }
        }
        else if (exchange.State == ClientState.AwaitingResponse)
        {
            Fail(exchange, CoapErrorKind.Timeout, $"No response within {_options.ResponseTimeout}.", now);
        }
    }

    private void OnClientAcknowledged(ClientExchange exchange, DateTimeOffset now)
    {
        if (exchange.IsPing)
        {
            Complete(exchange, now);
            Raise(new CoapExchangeCompleted(exchange.Id));
            return;
        }

        // The empty ACK promises a separate response; the request no longer counts against NSTART (RFC 7252 §4.7).
        exchange.State = ClientState.AwaitingResponse;
        Schedule(exchange, now + _options.ResponseTimeout);
        Release(exchange, now);
    }

    private void OnClientReset(ClientExchange exchange, DateTimeOffset now)
    {
        if (exchange.IsPing)
        {
            Complete(exchange, now);
            Raise(new CoapExchangeCompleted(exchange.Id));
            return;
        }

        Fail(exchange, CoapErrorKind.Reset, "The peer rejected the request with RST.", now);
    }

    /// <summary>Forgets a finished exchange everywhere it is indexed.</summary>
    private void Complete(ClientExchange exchange, DateTimeOffset now)
    {
        Unschedule(exchange);
        StopAwaitingAck(exchange);

        exchange.State = ClientState.Done;
        _clients.Remove(exchange.Id);
        if (exchange.Child is { State: not ClientState.Done } child)
        {
            Complete(child, now);
        }

        if (_byToken.TryGetValue(exchange.TokenKey, out ClientExchange? current) && ReferenceEquals(current, exchange))
        {
            _byToken.Remove(exchange.TokenKey);
        }

        Release(exchange, now);
    }

    private void Fail(ClientExchange exchange, CoapErrorKind kind, string reason, DateTimeOffset now)
    {
        Complete(exchange, now);
        if (exchange.Parent is { } parent)
        {
            // A block fetch failed: the request it serves fails with it; a notification is just lost.
            if (!exchange.DeliversNotification && parent.State == ClientState.AwaitingBlocks)
            {
                Fail(parent, kind, reason, now);
            }
            else if (exchange.DeliversNotification)
            {
                Reject(exchange.Peer, CoapRejectReason.IncompleteBlockwiseNotification);
            }

            return;
        }

        Raise(new CoapExchangeFailed(exchange.Id, kind, reason));
    }

    private enum ClientState
    {
        Queued,
        AwaitingAck,
        AwaitingResponse,
        AwaitingBlocks,
        Observing,
        Done,
    }

    /// <summary>One request we sent (or a ping), from queueing to its final response.</summary>
    private sealed class ClientExchange : Outbound
    {
        public required CoapMessage Request { get; set; }

        public TokenKey TokenKey { get; set; }

        /// <summary>The request as the application gave it (whole body, no block options).</summary>
        public CoapMessage? OriginalRequest { get; set; }

        public Block1Sender? Upload { get; set; }

        /// <summary>For a block fetch: the exchange (request or observation) the assembled body goes to.</summary>
        public ClientExchange? Parent { get; set; }

        public ClientExchange? Child { get; set; }

        public Block2Assembler? Download { get; set; }

        public CoapMessage? FirstBlock { get; set; }

        public bool DeliversNotification { get; set; }

        public ClientState State { get; set; }

        public bool IsPing { get; init; }

        public bool IsObserveRegistration { get; set; }

        public ObservationFreshness? Freshness { get; set; }
    }

    /// <summary>NSTART bookkeeping for one peer: the outstanding request and those waiting behind it.</summary>
    private sealed class PeerState
    {
        public ClientExchange? Outstanding { get; set; }

        public Queue<ClientExchange> Waiting { get; } = new();
    }
}

using Tern.Coap.Messages;
using Tern.Coap.Observe;
using Tern.Coap.Transport;

namespace Tern.Coap.Engine;

public sealed partial class CoapEngine
{
    private readonly EngineClock _clock = new();
    private ObserverRegistry? _registry;
    private readonly Dictionary<long, ObserverEntry> _observers = [];
    private readonly Dictionary<TokenKey, ObserverEntry> _observersByToken = [];

    /// <summary>Registered observers (server role); never above <see cref="CoapEngineOptions.MaxObservers"/>.</summary>
    public int ObserverCount => _observers.Count;

    private ObserverRegistry Registry => _registry ??= new ObserverRegistry(_clock, _options.MaxObservers, _options.ConfirmableNotificationInterval);

    /// <summary>
    /// Server role: registers the sender of request <paramref name="requestId"/> (a GET or FETCH with Observe=0) as an observer,
    /// before <see cref="Respond"/>. A successful response then carries an Observe value; an error response ends the
    /// registration. Re-registering the same (peer, token) keeps the existing observer. Returns the observer id for
    /// <see cref="Notify"/>, or null when the observer cap is reached (the GET is then served without Observe, RFC 7641 §4.1).
    /// </summary>
    public long? AcceptObservation(long requestId, DateTimeOffset now)
    {
        OnTimer(now);
        if (!_incoming.TryGetValue(requestId, out ServerExchange? exchange))
        {
            throw new InvalidOperationException($"Request {requestId} is unknown or already answered; accept the observation before responding.");
        }

        CoapMessage request = exchange.Request;
        if (!IsObservable(request.Code) || request.Observe != 0)
        {
            throw new InvalidOperationException("Only a GET or FETCH with Observe=0 registers an observer.");
        }

        if (exchange.ObserverId != 0)
        {
            return exchange.ObserverId;
        }

        string resource = ResourceKey(request);
        if (!Registry.TryRegister(exchange.Peer, request.Token, resource, out ObserverRegistration registration))
        {
            return null;
        }

        var tokenKey = TokenKey.From(exchange.Peer, request.Token.Span);
        if (!_observersByToken.TryGetValue(tokenKey, out ObserverEntry? entry))
        {
            entry = new ObserverEntry(NextId(), registration, tokenKey, request);
            _observers[entry.Id] = entry;
            _observersByToken[tokenKey] = entry;
        }

        exchange.ObserverId = entry.Id;
        return entry.Id;
    }

    /// <summary>
    /// Server role: sends a notification to observer <paramref name="observerId"/> with the next sequence number.
    /// Confirmable when <paramref name="confirmable"/> or when none was in the last 24 hours (RFC 7641 §4.5).
    /// An error code ends the observation. Returns an id that ends with <see cref="CoapExchangeCompleted"/> (NON: at
    /// once; CON: on ACK) or <see cref="CoapExchangeFailed"/> (observer gone, RST, timeout: the observer is removed).
    /// </summary>
    public long Notify(long observerId, CoapMessage notification, bool confirmable, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (!notification.Code.IsResponse)
        {
            throw new ArgumentException($"A notification needs a response code (2.xx–5.xx), not {notification.Code}.", nameof(notification));
        }

        OnTimer(now);
        CoapMessageCodec.GetEncodedLength(notification); // refuses what the wire cannot carry before a sequence number is used
        long id = NextId();
        if (!_observers.TryGetValue(observerId, out ObserverEntry? entry))
        {
            Raise(new CoapExchangeFailed(id, CoapErrorKind.Cancelled, "The observer is no longer registered."));
            return id;
        }

        ObserverRegistration registration = entry.Registration;
        ObserveNotificationPlan plan = registration.PlanNotification(now, confirmable);
        CoapMessage message = Clone(notification);
        message.Token = registration.Token;
        message = SliceResponse(registration.Peer, entry.Request, message);
        bool last = !message.Code.IsSuccess;
        message.Observe = last ? null : plan.SequenceNumber;
        message.Type = plan.Confirmable ? CoapMessageType.Confirmable : CoapMessageType.NonConfirmable;
        var send = new NotificationSend { Id = id, Peer = registration.Peer, ObserverId = observerId };
        send.MessageId = NextMessageId(send.Peer);
        message.MessageId = send.MessageId;
        send.Bytes = EncodeResponse(message);
        if (plan.Confirmable)
        {
            if (entry.InFlight is { AwaitingAck: true } previous)
            {
                // RFC 7641 §4.5.2: the newer state replaces a CON notification still waiting for its ACK. The
                // retransmission count and timer carry over, so a silent observer is still given up on in time.
                StopAwaitingAck(previous);
                Unschedule(previous);
                Raise(new CoapExchangeCompleted(previous.Id));
                send.Confirmable = true;
                send.AwaitingAck = true;
                send.Retransmits = previous.Retransmits;
                send.Timeout = previous.Timeout;
                _awaitingAck[new MessageKey(send.Peer, send.MessageId)] = send;
                Emit(send.Peer, send.Bytes);
                Schedule(send, previous.Due);
            }
            else
            {
                TransmitConfirmable(send, now);
            }

            entry.InFlight = send;
        }
        else
        {
            // Remember the last NON notification so an RST to it still finds the observer.
            if (entry.LastNonConfirmable is { } previous)
            {
                StopAwaitingAck(previous);
            }

            entry.LastNonConfirmable = send;
            _awaitingAck[new MessageKey(send.Peer, send.MessageId)] = send;
            Emit(send.Peer, send.Bytes);
            Raise(new CoapExchangeCompleted(id));
        }

        if (last)
        {
            RemoveObserver(entry, CoapObserverRemovalReason.Cancelled);
        }

        return id;
    }

    /// <summary>Server role: forgets observer <paramref name="observerId"/> without telling the client (unknown ids are ignored).</summary>
    public void RemoveObserver(long observerId, DateTimeOffset now)
    {
        OnTimer(now);
        if (_observers.TryGetValue(observerId, out ObserverEntry? entry))
        {
            RemoveObserver(entry, CoapObserverRemovalReason.Cancelled);
        }
    }

    /// <summary>
    /// Client role: ends observation <paramref name="exchangeId"/> by sending the registering request again (GET, or
    /// FETCH with its body) with Observe=1 and the same token (RFC 7641 §3.6, RFC 8132 §2.4). The observation ends with <see cref="CoapErrorKind.Cancelled"/>; the returned id is the
    /// deregistration request's. Null when the exchange is not observing (it is then just cancelled).
    /// For the passive way (RST on the next notification) use <see cref="Cancel"/>.
    /// </summary>
    public long? CancelObservation(long exchangeId, DateTimeOffset now)
    {
        OnTimer(now);
        if (!_clients.TryGetValue(exchangeId, out ClientExchange? exchange))
        {
            return null;
        }

        if (exchange.State != ClientState.Observing)
        {
            Fail(exchange, CoapErrorKind.Cancelled, "Cancelled by the application.", now);
            return null;
        }

        CoapMessage deregister = Clone(exchange.Request);
        deregister.Observe = 1;
        Fail(exchange, CoapErrorKind.Cancelled, "Observation cancelled by the application.", now);
        return SendRequest(exchange.Peer, deregister, now);
    }

    private void ApplyObserveToResponse(ServerExchange exchange, CoapMessage message, DateTimeOffset now)
    {
        if (exchange.ApplicationObserve)
        {
            return;
        }

        message.RemoveOption(CoapOptionNumber.Observe);
        if (exchange.ObserverId == 0 || !_observers.TryGetValue(exchange.ObserverId, out ObserverEntry? entry))
        {
            return;
        }

        if (message.Code.IsSuccess)
        {
            message.Observe = entry.Registration.NextSequenceNumber();
        }
        else
        {
            RemoveObserver(entry, CoapObserverRemovalReason.Cancelled);
        }
    }

    private void DeregisterOnObserveCancel(CoapPeer peer, CoapMessage request)
    {
        if (IsObservable(request.Code) && request.Observe == 1)
        {
            RemoveObserverOf(peer, request.Token.Span, CoapObserverRemovalReason.Deregistered);
        }
    }

    /// <summary>
    /// What an observer observes: the path and query, and for FETCH also the body and its format, since the body
    /// selects the representation (RFC 8132 §2).
    /// </summary>
    private static string ResourceKey(CoapMessage request)
    {
        string key = request.UriPath + "?" + string.Join('&', request.UriQueries);
        return request.Code == CoapCode.Fetch
            ? key + "#" + request.ContentFormat?.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + Convert.ToHexString(request.Payload.Span)
            : key;
    }

    private void RemoveObserverOf(CoapPeer peer, ReadOnlySpan<byte> token, CoapObserverRemovalReason reason)
    {
        if (_observersByToken.TryGetValue(TokenKey.From(peer, token), out ObserverEntry? entry))
        {
            RemoveObserver(entry, reason);
        }
    }

    private void RemoveObserver(ObserverEntry entry, CoapObserverRemovalReason reason)
    {
        if (!_observers.Remove(entry.Id))
        {
            return;
        }

        _observersByToken.Remove(entry.TokenKey);
        Registry.Remove(entry.Registration.Peer, entry.Registration.Token.Span);
        if (entry.LastNonConfirmable is { } lastNon)
        {
            StopAwaitingAck(lastNon);
        }

        if (reason != CoapObserverRemovalReason.Cancelled && entry.InFlight is { AwaitingAck: true } inFlight)
        {
            // The observer went away (deregistered, reset): stop retransmitting to it. A final error notification
            // sent by the application (Cancelled) is left to complete on its own.
            StopAwaitingAck(inFlight);
            Unschedule(inFlight);
            Raise(new CoapExchangeFailed(inFlight.Id, CoapErrorKind.Cancelled, "The observer went away."));
        }

        Raise(new CoapObserverRemoved(entry.Id, reason));
    }

    private void OnNotificationTimer(NotificationSend send, DateTimeOffset now)
    {
        if (send.AwaitingAck && !Retransmit(send, now))
        {
            Raise(new CoapExchangeFailed(send.Id, CoapErrorKind.Timeout, "The confirmable notification was never acknowledged."));
            if (_observers.TryGetValue(send.ObserverId, out ObserverEntry? entry))
            {
                RemoveObserver(entry, CoapObserverRemovalReason.Timeout);
            }
        }
    }

    private void OnNotificationAcknowledged(NotificationSend send) => Raise(new CoapExchangeCompleted(send.Id));

    private void OnNotificationReset(NotificationSend send, bool wasAwaitingAck)
    {
        if (wasAwaitingAck)
        {
            Raise(new CoapExchangeFailed(send.Id, CoapErrorKind.Reset, "The observer rejected the notification with RST."));
        }

        if (_observers.TryGetValue(send.ObserverId, out ObserverEntry? entry))
        {
            RemoveObserver(entry, CoapObserverRemovalReason.Reset);
        }
    }

    private void BeginObserving(ClientExchange exchange, uint sequence, DateTimeOffset now)
    {
        exchange.State = ClientState.Observing;
        exchange.Freshness = new ObservationFreshness(_clock);
        exchange.Freshness.ShouldDeliver(sequence, now);
    }

    private void OnNotification(ClientExchange exchange, CoapMessage notification, DateTimeOffset now)
    {
        bool last = notification.Observe is null || !notification.Code.IsSuccess;
        if (!last && !exchange.Freshness!.ShouldDeliver(notification.Observe!.Value, now))
        {
            Reject(exchange.Peer, CoapRejectReason.StaleNotification);
            return;
        }

        if (!last && HasMoreBlocks(notification))
        {
            StartBlockFetch(exchange, notification, forNotification: true, now);
            return;
        }

        if (last)
        {
            Complete(exchange, now);
        }

        Raise(new CoapNotificationReceived(exchange.Id, exchange.Peer, notification, last));
    }

    /// <summary>A notification we sent.</summary>
    private sealed class NotificationSend : Outbound
    {
        public long ObserverId { get; init; }
    }

    private sealed class ObserverEntry(long id, ObserverRegistration registration, TokenKey tokenKey, CoapMessage request)
    {
        public CoapMessage Request { get; } = request;

        public long Id { get; } = id;

        public ObserverRegistration Registration { get; } = registration;

        public TokenKey TokenKey { get; } = tokenKey;

        public NotificationSend? LastNonConfirmable { get; set; }

        /// <summary>The last confirmable notification, while it may still wait for its ACK.</summary>
        public NotificationSend? InFlight { get; set; }
    }

    /// <summary>The engine's notion of now, for the pieces that read a <see cref="TimeProvider"/>.</summary>
    private sealed class EngineClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}

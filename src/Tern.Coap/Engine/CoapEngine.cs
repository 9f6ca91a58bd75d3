using Tern.Coap.Messages;
using Tern.Coap.Transport;

namespace Tern.Coap.Engine;

/// <summary>
/// The CoAP exchange engine (RFC 7252 message and request/response layers, Observe and block-wise hooks) as
/// pure logic: it is told that a datagram arrived or that time moved on, and answers with datagrams to send
/// (<see cref="TryTakeDatagram"/>), events for the application (<see cref="TryTakeEvent"/>) and the time it
/// next wants to be woken (<see cref="NextWakeUp"/>). It owns no socket, no thread and no clock, and it is not
/// thread-safe: one driver calls it from one place at a time. No input bytes make it throw.
/// </summary>
public sealed partial class CoapEngine
{
    private readonly CoapEngineOptions _options;
    private readonly Random _random;
    private readonly Queue<CoapOutgoingDatagram> _outgoing = new();
    private readonly Queue<CoapEngineEvent> _events = new();
    private readonly PriorityQueue<(Timed Target, int Generation), DateTimeOffset> _schedule = new();
    private readonly DeduplicationCache _dedup;
    private readonly Dictionary<MessageKey, Outbound> _awaitingAck = [];
    private ushort _nextMessageId;
    private long _nextId;

    /// <summary>Creates an engine.</summary>
    /// <param name="options">Settings; <see cref="CoapEngineOptions.Default"/> when null.</param>
    /// <param name="random">Source of message IDs, tokens and retransmission jitter; inject a seeded one for repeatable tests.</param>
    public CoapEngine(CoapEngineOptions? options = null, Random? random = null)
    {
        _options = options ?? CoapEngineOptions.Default;
        _random = random ?? Random.Shared;
        _nextMessageId = (ushort)_random.Next(0, 0x10000);
        _dedup = new DeduplicationCache(_options.MaxDeduplicationEntries, _options.Transmission.ExchangeLifetime, _options.Transmission.NonLifetime);
    }

    /// <summary>The settings this engine runs with.</summary>
    public CoapEngineOptions Options => _options;

    /// <summary>When the engine next needs <see cref="OnTimer"/>; null when nothing is scheduled.</summary>
    public DateTimeOffset? NextWakeUp
    {
        get
        {
            while (_schedule.TryPeek(out var item, out DateTimeOffset due))
            {
                if (item.Generation == item.Target.Generation)
                {
                    return due;
                }

                _schedule.Dequeue();
            }

            return null;
        }
    }

    /// <summary>Number of remembered (peer, message ID) pairs; never above <see cref="CoapEngineOptions.MaxDeduplicationEntries"/>.</summary>
    public int DeduplicationEntryCount => _dedup.Count;

    /// <summary>Number of messages we sent that wait for an ACK or RST (plus the last NON notification per observer).</summary>
    public int AwaitingAcknowledgementCount => _awaitingAck.Count;

    /// <summary>Takes the next datagram to send, in order.</summary>
    public bool TryTakeDatagram(out CoapOutgoingDatagram datagram) => _outgoing.TryDequeue(out datagram);

    /// <summary>Takes the next event for the application, in order.</summary>
    public bool TryTakeEvent(out CoapEngineEvent? engineEvent) => _events.TryDequeue(out engineEvent);

    /// <summary>Tells the engine the time is <paramref name="now"/>: retransmissions, timeouts and expiries due by then happen.</summary>
    public void OnTimer(DateTimeOffset now)
    {
        if (now > _clock.Now)
        {
            _clock.Now = now;
        }

        _dedup.Expire(now);
        while (_schedule.TryPeek(out var item, out DateTimeOffset due) && due <= now)
        {
            _schedule.Dequeue();
            if (item.Generation != item.Target.Generation)
            {
                continue;
            }

            item.Target.Generation++;
            switch (item.Target)
            {
                case ClientExchange client:
                    OnClientTimer(client, now);
                    break;
                case ServerExchange server:
                    OnServerTimer(server, now);
                    break;
                case NotificationSend notification:
                    OnNotificationTimer(notification, now);
                    break;
            }
        }
    }

    private long NextId() => ++_nextId;

    private ushort NextMessageId(CoapPeer peer)
    {
        // Skip IDs still waiting for an ACK to the same peer, so a late ACK can never match the wrong message.
        for (int i = 0; i < 16; i++)
        {
            ushort id = _nextMessageId++;
            if (!_awaitingAck.ContainsKey(new MessageKey(peer, id)))
            {
                return id;
            }
        }

        return _nextMessageId++;
    }

    private void Schedule(Timed target, DateTimeOffset due)
    {
        target.Generation++;
        target.Due = due;
        _schedule.Enqueue((target, target.Generation), due);
    }

    private static void Unschedule(Timed target) => target.Generation++;

    private void Raise(CoapEngineEvent engineEvent) => _events.Enqueue(engineEvent);

    private void Emit(CoapPeer peer, byte[] datagram) => _outgoing.Enqueue(new CoapOutgoingDatagram(peer, datagram));

    private void Reject(CoapPeer peer, CoapRejectReason reason) => Raise(new CoapInputRejected(peer, reason));

    private TimeSpan InitialTimeout()
    {
        CoapTransmissionOptions t = _options.Transmission;
        return t.AckTimeout + (t.AckTimeout * ((t.AckRandomFactor - 1.0) * _random.NextDouble()));
    }

    /// <summary>Sends a CON for the first time and arms its retransmission timer.</summary>
    private void TransmitConfirmable(Outbound outbound, DateTimeOffset now)
    {
        outbound.Confirmable = true;
        outbound.Retransmits = 0;
        outbound.Timeout = InitialTimeout();
        outbound.AwaitingAck = true;
        _awaitingAck[new MessageKey(outbound.Peer, outbound.MessageId)] = outbound;
        Emit(outbound.Peer, outbound.Bytes);
        Schedule(outbound, now + outbound.Timeout);
    }

    /// <summary>Retransmits with a doubled timeout; false when MAX_RETRANSMIT is used up (the caller fails the exchange).</summary>
    private bool Retransmit(Outbound outbound, DateTimeOffset now)
    {
        if (outbound.Retransmits >= _options.Transmission.MaxRetransmit)
        {
            StopAwaitingAck(outbound);
            return false;
        }

        outbound.Retransmits++;
        outbound.Timeout *= 2;
        Emit(outbound.Peer, outbound.Bytes);
        Schedule(outbound, now + outbound.Timeout);
        return true;
    }

    private void StopAwaitingAck(Outbound outbound)
    {
        var key = new MessageKey(outbound.Peer, outbound.MessageId);
        if (_awaitingAck.TryGetValue(key, out Outbound? current) && ReferenceEquals(current, outbound))
        {
            _awaitingAck.Remove(key);
        }

        outbound.AwaitingAck = false;
    }

    private static byte[] EmptyMessage(CoapMessageType type, ushort messageId) =>
        [(byte)(0x40 | ((int)type << 4)), 0, (byte)(messageId >> 8), (byte)messageId];

    private void SendReset(CoapPeer peer, ushort messageId) => Emit(peer, EmptyMessage(CoapMessageType.Reset, messageId));

    private static CoapMessage Clone(CoapMessage source)
    {
        var copy = new CoapMessage
        {
            Type = source.Type,
            Code = source.Code,
            MessageId = source.MessageId,
            Token = source.Token,
            Payload = source.Payload,
        };
        foreach (CoapOption option in source.Options)
        {
            copy.AddOption(option);
        }

        return copy;
    }

    /// <summary>Something with a deadline in the schedule; a bumped generation cancels older schedule entries.</summary>
    private abstract class Timed
    {
        public int Generation { get; set; }

        public DateTimeOffset Due { get; set; }
    }

    /// <summary>A message we originate and may retransmit.</summary>
    private abstract class Outbound : Timed
    {
        public long Id { get; init; }

        public required CoapPeer Peer { get; init; }

        public ushort MessageId { get; set; }

        public byte[] Bytes { get; set; } = [];

        public bool Confirmable { get; set; }

        public bool AwaitingAck { get; set; }

        public int Retransmits { get; set; }

        public TimeSpan Timeout { get; set; }
    }
}

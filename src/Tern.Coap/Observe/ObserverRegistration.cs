using Tern.Coap.Transport;

namespace Tern.Coap.Observe;

/// <summary>
/// One entry in the list of observers (RFC 7641 §4.1): a client endpoint and the token of its registration request,
/// observing one resource. Holds the 24-bit notification sequence and the time of the last confirmable notification.
/// Created by <see cref="ObserverRegistry"/>; not thread-safe.
/// </summary>
public sealed class ObserverRegistration
{
    private uint _nextSequence;

    internal ObserverRegistration(CoapPeer peer, ReadOnlyMemory<byte> token, string resourceKey, DateTimeOffset registeredAt, uint firstSequence)
    {
        Peer = peer;
        Token = token;
        ResourceKey = resourceKey;
        RegisteredAt = registeredAt;
        _nextSequence = firstSequence & (ObservationFreshness.SequenceModulus - 1);
    }

    /// <summary>The observing endpoint.</summary>
    public CoapPeer Peer { get; }

    /// <summary>The token of the registration; every notification carries it.</summary>
    public ReadOnlyMemory<byte> Token { get; }

    /// <summary>The observed resource, as the engine names it (e.g. the Uri-Path and Uri-Query).</summary>
    public string ResourceKey { get; internal set; }

    /// <summary>When the registration was made (or last refreshed by a new GET with Observe=0).</summary>
    public DateTimeOffset RegisteredAt { get; internal set; }

    /// <summary>When the last confirmable notification was sent, or null if none was.</summary>
    public DateTimeOffset? LastConfirmableAt { get; private set; }

    /// <summary>The Observe value last handed out, or null before the first.</summary>
    public uint? LastSequence { get; private set; }

    /// <summary>How long notifications may go out non-confirmable (RFC 7641 §4.5: 24 hours).</summary>
    public TimeSpan ConfirmableInterval { get; internal init; } = ObserverRegistry.DefaultConfirmableInterval;

    /// <summary>
    /// The next Observe value: strictly increasing modulo 2^24 (wraps from 0xFFFFFF to 0). The engine puts it
    /// in the response to the registration and in every notification.
    /// </summary>
    public uint NextSequenceNumber()
    {
        uint value = _nextSequence;
        LastSequence = value;
        _nextSequence = (value + 1) & (ObservationFreshness.SequenceModulus - 1);
        return value;
    }

    /// <summary>
    /// True when a notification sent at <paramref name="now"/> must be confirmable: no confirmable notification
    /// went out in the last 24 hours (counted from the registration when none ever did).
    /// </summary>
    public bool MustBeConfirmable(DateTimeOffset now) =>
        now - (LastConfirmableAt ?? RegisteredAt) >= ConfirmableInterval;

    /// <summary>Records that a confirmable notification was sent at <paramref name="at"/>.</summary>
    public void MarkConfirmableSent(DateTimeOffset at)
    {
        if (LastConfirmableAt is null || at > LastConfirmableAt)
        {
            LastConfirmableAt = at;
        }
    }

    /// <summary>
    /// Plans one notification at <paramref name="now"/>: takes the next sequence number and decides the message type
    /// (confirmable when the caller wants it or the 24-hour rule demands it, recording it when so).
    /// </summary>
    public ObserveNotificationPlan PlanNotification(DateTimeOffset now, bool preferConfirmable = false)
    {
        bool confirmable = preferConfirmable || MustBeConfirmable(now);
        if (confirmable)
        {
            MarkConfirmableSent(now);
        }

        return new ObserveNotificationPlan(NextSequenceNumber(), confirmable);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Peer} token={Convert.ToHexString(Token.Span)} observes {ResourceKey}";
}

/// <summary>What the engine needs to send one notification.</summary>
/// <param name="SequenceNumber">The Observe option value (24 bits).</param>
/// <param name="Confirmable">True to send it as CON, false for NON.</param>
public readonly record struct ObserveNotificationPlan(uint SequenceNumber, bool Confirmable);

namespace Tern.Coap.Observe;

/// <summary>
/// The observing side's reordering rule (RFC 7641 §3.4). A notification (V2, T2) is newer than the last one
/// delivered (V1, T1) when (V1 &lt; V2 and V2 − V1 &lt; 2^23) or (V1 &gt; V2 and V1 − V2 &gt; 2^23) or
/// T2 &gt; T1 + 128 s. One tracker belongs to one observation; it is not thread-safe.
/// </summary>
public sealed class ObservationFreshness
{
    /// <summary>Observe values are 24-bit: they wrap modulo 2^24.</summary>
    public const uint SequenceModulus = 1u << 24;

    /// <summary>Half the sequence space: the window in which a larger value counts as newer.</summary>
    public const uint Window = 1u << 23;

    /// <summary>After this long, any notification counts as newer whatever its number (RFC 7641 §3.4).</summary>
    public static readonly TimeSpan MaxReorderTime = TimeSpan.FromSeconds(128);

    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a tracker reading the time of arrival from <paramref name="timeProvider"/> (system clock when null).</summary>
    public ObservationFreshness(TimeProvider? timeProvider = null) => _timeProvider = timeProvider ?? TimeProvider.System;

    /// <summary>The Observe value of the last delivered notification, or null before the first.</summary>
    public uint? LastSequence { get; private set; }

    /// <summary>The local arrival time of the last delivered notification, or null before the first.</summary>
    public DateTimeOffset? LastReceivedAt { get; private set; }

    /// <summary>
    /// True when (<paramref name="v2"/>, <paramref name="t2"/>) is newer than (<paramref name="v1"/>, <paramref name="t1"/>)
    /// by RFC 7641 §3.4. Values are taken modulo 2^24.
    /// </summary>
    public static bool IsNewer(uint v1, DateTimeOffset t1, uint v2, DateTimeOffset t2)
    {
        v1 &= SequenceModulus - 1;
        v2 &= SequenceModulus - 1;
        return (v1 < v2 && v2 - v1 < Window)
            || (v1 > v2 && v1 - v2 > Window)
            || t2 > t1 + MaxReorderTime;
    }

    /// <summary>
    /// Decides whether a notification with Observe value <paramref name="observe"/> arriving now should be delivered.
    /// The first notification is always delivered; a delivered one becomes the new reference.
    /// </summary>
    public bool ShouldDeliver(uint observe) => ShouldDeliver(observe, _timeProvider.GetUtcNow());

    /// <summary>As <see cref="ShouldDeliver(uint)"/>, with an explicit arrival time.</summary>
    public bool ShouldDeliver(uint observe, DateTimeOffset receivedAt)
    {
        if (LastSequence is { } v1 && LastReceivedAt is { } t1 && !IsNewer(v1, t1, observe, receivedAt))
        {
            return false;
        }

        LastSequence = observe & (SequenceModulus - 1);
        LastReceivedAt = receivedAt;
        return true;
    }

    /// <summary>Forgets the reference, e.g. when the client re-registers.</summary>
    public void Reset()
    {
        LastSequence = null;
        LastReceivedAt = null;
    }
}

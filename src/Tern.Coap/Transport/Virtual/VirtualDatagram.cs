namespace Tern.Coap.Transport.Virtual;

/// <summary>What became of a datagram on the <see cref="VirtualNetwork"/>.</summary>
public enum VirtualDatagramFate
{
    /// <summary>Still on its way: its delivery time has not come yet.</summary>
    InFlight,

    /// <summary>Placed in the receiver's queue.</summary>
    Delivered,

    /// <summary>Dropped by the link's loss probability.</summary>
    Lost,

    /// <summary>Dropped because the sender and receiver are partitioned.</summary>
    Partitioned,

    /// <summary>Dropped because no open transport has the destination address.</summary>
    Unreachable,

    /// <summary>Dropped because the receiver's queue was full, as a socket buffer overflows.</summary>
    Overflowed,
}

/// <summary>
/// One datagram the <see cref="VirtualNetwork"/> carried, recorded for assertions and message-sequence charts.
/// A duplicate the network made is recorded as its own entry with <see cref="IsDuplicate"/> set.
/// </summary>
public sealed class VirtualDatagram
{
    internal VirtualDatagram(long sequence, DateTimeOffset sentAt, CoapPeer from, CoapPeer to, byte[] bytes, bool isDuplicate)
    {
        Sequence = sequence;
        SentAt = sentAt;
        From = from;
        To = to;
        Bytes = bytes;
        IsDuplicate = isDuplicate;
    }

    /// <summary>Order of recording on this network, starting at 1.</summary>
    public long Sequence { get; }

    /// <summary>The network clock when the datagram was sent.</summary>
    public DateTimeOffset SentAt { get; }

    /// <summary>The sender.</summary>
    public CoapPeer From { get; }

    /// <summary>The destination.</summary>
    public CoapPeer To { get; }

    /// <summary>The datagram's bytes (a copy; the sender's buffer may be reused).</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>True for the extra copy the link's duplication made.</summary>
    public bool IsDuplicate { get; }

    /// <summary>What became of it so far.</summary>
    public VirtualDatagramFate Fate { get; internal set; }

    /// <summary>When it reached (or is due to reach) the receiver's queue; null when dropped at send time.</summary>
    public DateTimeOffset? DeliverAt { get; internal set; }

    /// <summary>True when the datagram never reached the receiver's queue.</summary>
    public bool Dropped => Fate is not (VirtualDatagramFate.InFlight or VirtualDatagramFate.Delivered);

    /// <inheritdoc />
    public override string ToString() =>
        $"#{Sequence} {SentAt:HH:mm:ss.fff} {From} -> {To} {Bytes.Length} B {Fate}{(IsDuplicate ? " (duplicate)" : "")}";
}

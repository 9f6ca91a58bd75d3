using Tern.Coap.Messages;
using Tern.Coap.Transport;

namespace Tern.Coap.Diagnostics;

/// <summary>What a <see cref="CoapTraceEntry"/> records.</summary>
public enum CoapTraceKind
{
    /// <summary>A datagram the local endpoint handed to its transport.</summary>
    Sent,

    /// <summary>A datagram the local endpoint's transport delivered.</summary>
    Received,

    /// <summary>A note the application added (a state change, say), drawn over the local endpoint.</summary>
    Note,
}

/// <summary>
/// One thing a <see cref="CoapMessageRecorder"/> saw: a datagram sent or received by one of the recorded endpoints,
/// decoded when it is a well-formed CoAP message, or a note the application added.
/// </summary>
public sealed class CoapTraceEntry
{
    internal CoapTraceEntry(long sequence, DateTimeOffset timestamp, CoapTraceKind kind, CoapPeer local, CoapPeer? remote)
    {
        Sequence = sequence;
        Timestamp = timestamp;
        Kind = kind;
        Local = local;
        Remote = remote;
    }

    /// <summary>Order of recording in its recorder, starting at 1.</summary>
    public long Sequence { get; }

    /// <summary>The recorder's clock (the endpoint's <see cref="TimeProvider"/>) when the entry was recorded.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>Sent, received, or a note.</summary>
    public CoapTraceKind Kind { get; }

    /// <summary>The recorded endpoint's own address.</summary>
    public CoapPeer Local { get; }

    /// <summary>The other side of the datagram; null for a note.</summary>
    public CoapPeer? Remote { get; }

    /// <summary>The datagram as it went over the wire (a copy); empty for a note.</summary>
    public ReadOnlyMemory<byte> Datagram { get; internal init; }

    /// <summary>The decoded message; null for a note and for a datagram that is not a well-formed CoAP message.</summary>
    public CoapMessage? Message { get; internal init; }

    /// <summary>Why the datagram could not be decoded; <see cref="CoapFormatError.None"/> when it was (or for a note).</summary>
    public CoapFormatError FormatError { get; internal init; }

    /// <summary>True when the transport reported the received datagram longer than the receive buffer (only the start is kept).</summary>
    public bool Truncated { get; internal init; }

    /// <summary>
    /// True when the same endpoint already sent (or received) a message of this type with this message ID to (from) this
    /// peer within the recorder's repeat window: a retransmission, or a duplicate the network made.
    /// </summary>
    public bool IsRetransmission { get; internal init; }

    /// <summary>
    /// For a response: the request it answers, matched by token and peer among the requests recorded in the other
    /// direction; null when the request was not recorded (or for requests, empty messages and notes).
    /// </summary>
    public CoapMessage? Request { get; internal init; }

    /// <summary>
    /// True for an observe notification (RFC 7641): a confirmable or non-confirmable response carrying the Observe
    /// option that is not the first answer to its request.
    /// </summary>
    public bool IsNotification { get; internal init; }

    /// <summary>The note's text; null for a datagram.</summary>
    public string? Note { get; internal init; }

    /// <summary>True when the transport refused to send the datagram (it threw); the peer never saw it.</summary>
    public bool SendFailed { get; internal set; }

    /// <summary>True for an entry that carries a datagram whose bytes are not a well-formed CoAP message.</summary>
    public bool IsUndecodable => Kind != CoapTraceKind.Note && Message is null;

    /// <summary>The peer that sent the datagram (the local endpoint for <see cref="CoapTraceKind.Sent"/>); the local endpoint for a note.</summary>
    public CoapPeer From => Kind == CoapTraceKind.Received && Remote is { } remote ? remote : Local;

    /// <summary>The peer the datagram went to; the local endpoint for a note.</summary>
    public CoapPeer To => Kind == CoapTraceKind.Sent && Remote is { } remote ? remote : Local;

    /// <inheritdoc />
    public override string ToString() => Kind == CoapTraceKind.Note
        ? $"#{Sequence} {Timestamp:HH:mm:ss.fff} note over {Local}: {Note}"
        : $"#{Sequence} {Timestamp:HH:mm:ss.fff} {From} -> {To} {CoapMessageLabels.Describe(this)}";
}

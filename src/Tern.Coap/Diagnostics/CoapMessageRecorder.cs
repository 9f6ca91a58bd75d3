using Tern.Coap.Messages;
using Tern.Coap.Transport;

namespace Tern.Coap.Diagnostics;

/// <summary>
/// Records the CoAP messages one or more endpoints send and receive, and notes the application adds, for message
/// sequence charts (<see cref="MermaidSequenceChart"/>) and test assertions. Endpoints feed it through
/// <see cref="RecordingCoapTransport"/> (<see cref="Wrap"/>). Thread-safe; keeps at most
/// <see cref="CoapMessageRecorderOptions.Capacity"/> entries; never throws on bad bytes.
/// </summary>
public sealed partial class CoapMessageRecorder
{
    private readonly Lock _gate = new();
    private readonly Queue<CoapTraceEntry> _entries = new();
    private long _sequence;
    private long _dropped;

    /// <summary>Creates an empty recorder.</summary>
    /// <param name="time">The clock entries are stamped with: the recorded endpoint's; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="options">Settings; defaults when null.</param>
    public CoapMessageRecorder(TimeProvider? time = null, CoapMessageRecorderOptions? options = null)
    {
        TimeProvider = time ?? TimeProvider.System;
        Options = options ?? new CoapMessageRecorderOptions();
    }

    /// <summary>The clock entries are stamped with.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The settings in use.</summary>
    public CoapMessageRecorderOptions Options { get; }

    /// <summary>How many of the oldest entries were forgotten because the recorder was full.</summary>
    public long DroppedCount
    {
        get
        {
            lock (_gate)
            {
                return _dropped;
            }
        }
    }

    /// <summary>A snapshot of the entries kept, oldest first.</summary>
    public IReadOnlyList<CoapTraceEntry> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>Wraps <paramref name="transport"/> so every datagram through it is recorded here.</summary>
    public RecordingCoapTransport Wrap(ICoapTransport transport) => new(transport, this);

    /// <summary>Adds a note drawn over <paramref name="over"/> (a recorded endpoint's address), e.g. "Registered".</summary>
    /// <exception cref="ArgumentException">The text is empty or only white space.</exception>
    public void AddNote(CoapPeer over, string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        lock (_gate)
        {
            Add(new CoapTraceEntry(++_sequence, TimeProvider.GetUtcNow(), CoapTraceKind.Note, over, remote: null) { Note = text });
        }
    }

    /// <summary>Forgets every entry and the matching state (the sequence numbers go on).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
            _dropped = 0;
            ClearMatching();
        }
    }

    /// <summary>Records a datagram <paramref name="local"/> is about to send to <paramref name="remote"/>.</summary>
    internal CoapTraceEntry RecordSent(CoapPeer local, CoapPeer remote, ReadOnlySpan<byte> datagram) =>
        Record(CoapTraceKind.Sent, local, remote, datagram, truncated: false);

    /// <summary>Records a datagram <paramref name="local"/> received from <paramref name="remote"/>.</summary>
    internal CoapTraceEntry RecordReceived(CoapPeer local, CoapPeer remote, ReadOnlySpan<byte> datagram, bool truncated) =>
        Record(CoapTraceKind.Received, local, remote, datagram, truncated);

    private CoapTraceEntry Record(CoapTraceKind kind, CoapPeer local, CoapPeer remote, ReadOnlySpan<byte> datagram, bool truncated)
    {
        // Decoding never throws; a truncated datagram is recorded as the bytes that arrived, which rarely decode.
        byte[] copy = datagram.ToArray();
        CoapFormatError error = CoapMessageCodec.TryDecode(copy, out CoapMessage? message);
        lock (_gate)
        {
            DateTimeOffset now = TimeProvider.GetUtcNow();
            CoapTraceEntry entry;
            if (message is null)
            {
                entry = new CoapTraceEntry(++_sequence, now, kind, local, remote) { Datagram = copy, FormatError = error, Truncated = truncated };
            }
            else
            {
                Matching match = Match(kind, local, remote, message, now);
                entry = new CoapTraceEntry(++_sequence, now, kind, local, remote)
                {
                    Datagram = copy,
                    Message = message,
                    Truncated = truncated,
                    IsRetransmission = match.IsRetransmission,
                    Request = match.Request,
                    IsNotification = match.IsNotification,
                };
            }

            Add(entry);
            return entry;
        }
    }

    private void Add(CoapTraceEntry entry)
    {
        if (_entries.Count >= Options.Capacity)
        {
            _entries.Dequeue();
            _dropped++;
        }

        _entries.Enqueue(entry);
    }
}

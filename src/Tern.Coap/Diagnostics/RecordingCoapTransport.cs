using Tern.Coap.Transport;

namespace Tern.Coap.Diagnostics;

/// <summary>
/// A transport decorator that records every datagram its endpoint sends and receives in a
/// <see cref="CoapMessageRecorder"/>, then passes it on unchanged. Wraps any transport: UDP, DTLS (records the
/// plaintext CoAP messages) or the virtual network. Recording never throws on bad bytes; disposing disposes the
/// wrapped transport.
/// </summary>
public sealed class RecordingCoapTransport : ICoapTransport
{
    private readonly ICoapTransport _inner;

    /// <summary>Wraps <paramref name="inner"/>, recording into <paramref name="recorder"/>.</summary>
    public RecordingCoapTransport(ICoapTransport inner, CoapMessageRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(recorder);
        _inner = inner;
        Recorder = recorder;
    }

    /// <summary>The recorder the datagrams go to.</summary>
    public CoapMessageRecorder Recorder { get; }

    /// <summary>The wrapped transport.</summary>
    public ICoapTransport Inner => _inner;

    /// <inheritdoc />
    public CoapPeer LocalEndPoint => _inner.LocalEndPoint;

    /// <inheritdoc />
    public int MaxDatagramSize => _inner.MaxDatagramSize;

    /// <summary>Adds a note drawn over this endpoint, e.g. a state change ("Registered").</summary>
    /// <exception cref="ArgumentException">The text is empty or only white space.</exception>
    public void AddNote(string text) => Recorder.AddNote(_inner.LocalEndPoint, text);

    /// <inheritdoc />
    /// <remarks>
    /// The datagram is recorded before it is handed on, so in a recorder shared by both ends a send always comes before
    /// its receipt; when the wrapped transport throws, the entry is marked <see cref="CoapTraceEntry.SendFailed"/>.
    /// </remarks>
    public async ValueTask SendAsync(CoapPeer peer, ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken = default)
    {
        CoapTraceEntry entry = Recorder.RecordSent(_inner.LocalEndPoint, peer, datagram.Span);
        try
        {
            await _inner.SendAsync(peer, datagram, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            entry.SendFailed = true;
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask<CoapDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        CoapDatagram datagram = await _inner.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
        Recorder.RecordReceived(_inner.LocalEndPoint, datagram.Peer, buffer.Span[..datagram.Length], datagram.Truncated);
        return datagram;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _inner.DisposeAsync();

    /// <inheritdoc />
    public override string ToString() => $"recording {_inner}";
}

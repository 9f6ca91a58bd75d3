using Tern.Coap.Blockwise;
using Tern.Coap.Messages;
using Tern.Coap.Transport;

namespace Tern.Lwm2m.Client.Tests.Firmware;

/// <summary>
/// The pulling client's transport in <see cref="CoapPullRig"/>, watching for the one stretch of work no endpoint counts:
/// from the moment the answer to the block last asked for reaches the client (with more to come) until the client sends
/// its next datagram, the pull is storing that block and about to ask for the next one.
/// </summary>
/// <remarks>
/// The client endpoint counts an exchange as busy only until the caller resumes; the downloader then writes the block
/// to storage and reports progress on a pool thread. A virtual network that settles meanwhile reads the clock's next
/// timer, and once the next request is queued that timer is the request's own retransmission: the clock jumped to it
/// and the request left together with its first retransmission, the block was asked for twice.
/// </remarks>
internal sealed class PullClientTransport(ICoapTransport inner) : ICoapTransport
{
    private long _lastAsked = -1;
    private int _owesRequest;
    private int _awaitsAnswer;

    /// <summary>True while a block answer has arrived with more to come and the client has not sent since.</summary>
    public bool OwesRequest => Volatile.Read(ref _owesRequest) == 1;

    /// <summary>True from each datagram the client sends until it next receives one: the client waits on the network (and the clock).</summary>
    public bool AwaitsAnswer => Volatile.Read(ref _awaitsAnswer) == 1;

    public CoapPeer LocalEndPoint => inner.LocalEndPoint;

    public int MaxDatagramSize => inner.MaxDatagramSize;

    public ValueTask SendAsync(CoapPeer peer, ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken = default)
    {
        if (Block2Of(datagram.Span) is { } asked)
        {
            Volatile.Write(ref _lastAsked, asked.Num);
        }

        Volatile.Write(ref _owesRequest, 0);
        Volatile.Write(ref _awaitsAnswer, 1);
        return inner.SendAsync(peer, datagram, cancellationToken);
    }

    public async ValueTask<CoapDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        CoapDatagram received = await inner.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _awaitsAnswer, 0);
        // A late copy of an older block (a duplicate) is not what the downloader waits for, so it owes nothing.
        if (Block2Of(buffer.Span[..received.Length]) is { More: true } answer && answer.Num == Volatile.Read(ref _lastAsked))
        {
            Volatile.Write(ref _owesRequest, 1);
        }

        return received;
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private static BlockOption? Block2Of(ReadOnlySpan<byte> bytes) =>
        CoapMessageCodec.TryDecode(bytes, out CoapMessage? message) == CoapFormatError.None
            && message!.TryGetBlock2(out BlockOption? block) == BlockOptionError.None
            ? block
            : null;
}

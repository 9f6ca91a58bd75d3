namespace Tern.Coap.Transport;

/// <summary>
/// A datagram transport under the CoAP engine: UDP sockets, the in-memory virtual network,
/// or DTLS. The engine never touches a socket; a driver moves datagrams between it and this.
/// </summary>
public interface ICoapTransport : IAsyncDisposable
{
    /// <summary>The local address this transport receives on.</summary>
    CoapPeer LocalEndPoint { get; }

    /// <summary>The largest datagram this transport carries (for UDP, 1152 by RFC 7252 §4.6 unless configured).</summary>
    int MaxDatagramSize { get; }

    /// <summary>Sends one datagram to <paramref name="peer"/>. Delivery is not guaranteed.</summary>
    ValueTask SendAsync(CoapPeer peer, ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits for the next datagram and copies it into <paramref name="buffer"/>.
    /// Completes with the sender and the datagram length; datagrams longer than the buffer are truncated
    /// and reported with <see cref="CoapDatagram.Truncated"/>.
    /// </summary>
    ValueTask<CoapDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);
}

/// <summary>One received datagram: who sent it and how many bytes were written to the caller's buffer.</summary>
/// <param name="Peer">The sender.</param>
/// <param name="Length">Bytes written into the receive buffer.</param>
/// <param name="Truncated">True when the datagram did not fit into the buffer.</param>
public readonly record struct CoapDatagram(CoapPeer Peer, int Length, bool Truncated = false);

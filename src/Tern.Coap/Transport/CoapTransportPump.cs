using System.Net.Sockets;
using System.Threading.Channels;

namespace Tern.Coap.Transport;

/// <summary>Reading a transport in a loop, for code that merges several transports into one stream of datagrams.</summary>
public static class CoapTransportPump
{
    /// <summary>
    /// Receives from <paramref name="transport"/> until <paramref name="cancellationToken"/> ends or the transport is closed,
    /// handing each datagram to <paramref name="onDatagram"/> as a copy of its own (sender, bytes, truncated). A socket
    /// error on one receive (an ICMP port-unreachable, say) skips that receive; it does not end the loop. The loop
    /// yields before its first receive, so starting it never runs the caller's code inline.
    /// </summary>
    public static async Task RunAsync(ICoapTransport transport, Action<CoapPeer, byte[], bool> onDatagram, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(onDatagram);
        await Task.Yield();
        byte[] buffer = new byte[transport.MaxDatagramSize + 1];
        while (!cancellationToken.IsCancellationRequested)
        {
            CoapDatagram datagram;
            try
            {
                datagram = await transport.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or ChannelClosedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            onDatagram(datagram.Peer, buffer.AsSpan(0, datagram.Length).ToArray(), datagram.Truncated);
        }
    }
}

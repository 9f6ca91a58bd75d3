using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Tern.Coap.Transport.Udp;

public sealed partial class UdpCoapTransport
{
    /// <summary>
    /// Translates between <see cref="CoapPeer"/> and the socket's own address form in both directions, remembering
    /// recent peers so a steady exchange with known peers allocates nothing. Bounded: it forgets everything when full.
    /// </summary>
    private sealed class PeerCache(AddressFamily family, bool dualMode)
    {
        private const int Capacity = 4096;

        private static readonly IPEndPoint V4Template = new(IPAddress.Any, 0);
        private static readonly IPEndPoint V6Template = new(IPAddress.IPv6Any, 0);

        // Read by the single receive loop only.
        private readonly Dictionary<SocketAddress, CoapPeer> _inbound = [];

        // Read by concurrent senders; a SocketAddress is never changed once cached, so sharing it is safe.
        private readonly ConcurrentDictionary<IPEndPoint, SocketAddress> _outbound = new();

        public CoapPeer GetPeer(SocketAddress received)
        {
            if (_inbound.TryGetValue(received, out CoapPeer peer))
            {
                return peer;
            }

            EndPoint template = received.Family == AddressFamily.InterNetworkV6 ? V6Template : V4Template;
            var endPoint = (IPEndPoint)template.Create(received);
            if (endPoint.Address.IsIPv4MappedToIPv6)
            {
                // Dual-mode sockets report IPv4 peers as ::ffff:a.b.c.d; the engine keys peers by their plain form.
                endPoint = new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port);
            }

            peer = new CoapPeer(endPoint);
            if (_inbound.Count >= Capacity)
            {
                _inbound.Clear();
            }

            var key = new SocketAddress(received.Family, received.Size);
            received.Buffer.Span[..received.Size].CopyTo(key.Buffer.Span);
            _inbound[key] = peer;
            return peer;
        }

        public SocketAddress GetSocketAddress(CoapPeer peer)
        {
            IPEndPoint endPoint = peer.EndPoint ?? throw new ArgumentException("The peer has no address.", nameof(peer));
            if (_outbound.TryGetValue(endPoint, out SocketAddress? address))
            {
                return address;
            }

            IPEndPoint target = ToSocketFamily(endPoint);
            address = target.Serialize();
            if (_outbound.Count >= Capacity)
            {
                _outbound.Clear();
            }

            _outbound[endPoint] = address;
            return address;
        }

        private IPEndPoint ToSocketFamily(IPEndPoint endPoint)
        {
            IPAddress address = endPoint.Address;
            if (family == AddressFamily.InterNetwork)
            {
                if (address.AddressFamily == AddressFamily.InterNetwork)
                {
                    return endPoint;
                }

                if (address.IsIPv4MappedToIPv6)
                {
                    return new IPEndPoint(address.MapToIPv4(), endPoint.Port);
                }

                throw new ArgumentException($"An IPv4 socket cannot send to {endPoint}; bind the transport to an IPv6 address.", nameof(endPoint));
            }

            if (address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                return endPoint;
            }

            if (dualMode)
            {
                return new IPEndPoint(address.MapToIPv6(), endPoint.Port);
            }

            throw new ArgumentException(
                $"This IPv6 socket is not dual-mode and cannot send to {endPoint}; bind to [::] with DualMode, or to an IPv4 address.",
                nameof(endPoint));
        }
    }
}

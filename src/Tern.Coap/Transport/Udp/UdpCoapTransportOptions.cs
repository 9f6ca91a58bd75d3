namespace Tern.Coap.Transport.Udp;

/// <summary>Settings for <see cref="UdpCoapTransport"/>. Checked when the transport is bound.</summary>
public sealed class UdpCoapTransportOptions
{
    /// <summary>The default largest datagram: RFC 7252 §4.6 suggests 1152 bytes when nothing is known of the path MTU.</summary>
    public const int DefaultMaxDatagramSize = 1152;

    /// <summary>The largest UDP payload an IP datagram can carry.</summary>
    public const int MaxUdpPayload = 65507;

    /// <summary>The largest datagram this transport sends (1152 unless set). Between 64 and 65507.</summary>
    public int MaxDatagramSize { get; init; } = DefaultMaxDatagramSize;

    /// <summary>
    /// When bound to <see cref="System.Net.IPAddress.IPv6Any"/>, also accept and send IPv4 through IPv4-mapped
    /// addresses (true unless set). Ignored for other local addresses.
    /// </summary>
    public bool DualMode { get; init; } = true;

    /// <summary>The kernel receive buffer size in bytes (SO_RCVBUF), or null to keep the system default.</summary>
    public int? SocketReceiveBufferSize { get; init; }

    /// <summary>The kernel send buffer size in bytes (SO_SNDBUF), or null to keep the system default.</summary>
    public int? SocketSendBufferSize { get; init; }

    internal void Validate()
    {
        if (MaxDatagramSize is < 64 or > MaxUdpPayload)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxDatagramSize), MaxDatagramSize, $"MaxDatagramSize must be between 64 and {MaxUdpPayload} bytes.");
        }

        if (SocketReceiveBufferSize is <= 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(SocketReceiveBufferSize), SocketReceiveBufferSize, "SocketReceiveBufferSize must be positive or null.");
        }

        if (SocketSendBufferSize is <= 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(SocketSendBufferSize), SocketSendBufferSize, "SocketSendBufferSize must be positive or null.");
        }
    }
}

using System.Net;
using System.Net.Sockets;

namespace Tern.Coap.Transport.Udp;

/// <summary>
/// CoAP over a UDP socket (RFC 7252 §3), IPv4 or IPv6, dual-mode when bound to <see cref="IPAddress.IPv6Any"/>.
/// One receive loop calls <see cref="ReceiveAsync"/>; any number of callers may send at once.
/// Receiving reuses one socket address and one 64 KiB buffer, so a steady stream from known peers allocates nothing.
/// </summary>
public sealed partial class UdpCoapTransport : ICoapTransport
{
    // Every datagram is first read whole into this buffer, so one longer than the caller's buffer
    // is seen as truncated instead of being cut silently (Linux) or failing the read (Windows).
    private const int ReceiveScratchSize = 65536;

    private readonly Socket _socket;
    private readonly bool _dualMode;
    private readonly byte[] _scratch = GC.AllocateUninitializedArray<byte>(ReceiveScratchSize, pinned: true);
    private readonly SocketAddress _received;
    private readonly PeerCache _peers;
    private int _receiving;
    private int _disposed;

    private UdpCoapTransport(Socket socket, CoapPeer local, int maxDatagramSize)
    {
        _socket = socket;
        _dualMode = socket.AddressFamily == AddressFamily.InterNetworkV6 && socket.DualMode;
        _received = new SocketAddress(socket.AddressFamily);
        _peers = new PeerCache(socket.AddressFamily, _dualMode);
        LocalEndPoint = local;
        MaxDatagramSize = maxDatagramSize;
    }

    /// <inheritdoc />
    public CoapPeer LocalEndPoint { get; }

    /// <inheritdoc />
    public int MaxDatagramSize { get; }

    /// <summary>True when the socket is IPv6 and also carries IPv4 through mapped addresses.</summary>
    public bool IsDualMode => _dualMode;

    /// <summary>
    /// Opens a UDP socket bound to <paramref name="localEndPoint"/> (port 0 picks a free port; read it back from
    /// <see cref="LocalEndPoint"/>).
    /// </summary>
    /// <param name="localEndPoint">The address and port to bind, e.g. 127.0.0.1:5683, [::1]:0 or [::]:5683.</param>
    /// <param name="options">Settings; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the bind.</param>
    /// <exception cref="SocketException">The address cannot be bound (in use, not local).</exception>
    public static ValueTask<UdpCoapTransport> BindAsync(
        IPEndPoint localEndPoint, UdpCoapTransportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(localEndPoint);
        options ??= new UdpCoapTransportOptions();
        options.Validate();
        cancellationToken.ThrowIfCancellationRequested();

        var socket = new Socket(localEndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (localEndPoint.AddressFamily == AddressFamily.InterNetworkV6 && localEndPoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = options.DualMode;
            }

            if (options.SocketReceiveBufferSize is int receiveSize)
            {
                socket.ReceiveBufferSize = receiveSize;
            }

            if (options.SocketSendBufferSize is int sendSize)
            {
                socket.SendBufferSize = sendSize;
            }

            IgnoreConnectionResets(socket);
            socket.Bind(localEndPoint);
            var bound = (IPEndPoint)socket.LocalEndPoint!;
            return ValueTask.FromResult(new UdpCoapTransport(socket, new CoapPeer(bound), options.MaxDatagramSize));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The datagram is longer than <see cref="MaxDatagramSize"/>, or the peer's address family cannot be reached from this socket.</exception>
    public async ValueTask SendAsync(CoapPeer peer, ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (datagram.Length > MaxDatagramSize)
        {
            throw new ArgumentException(
                $"The datagram is {datagram.Length} bytes; this transport sends at most {MaxDatagramSize} (UdpCoapTransportOptions.MaxDatagramSize).",
                nameof(datagram));
        }

        SocketAddress address = _peers.GetSocketAddress(peer);
        try
        {
            await _socket.SendToAsync(datagram, SocketFlags.None, address, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e) when (IsTransient(e.SocketErrorCode))
        {
            // UDP promises nothing; an unreachable peer is a lost datagram, which the engine already handles.
        }
        catch (SocketException) when (Volatile.Read(ref _disposed) != 0)
        {
            throw new ObjectDisposedException(nameof(UdpCoapTransport));
        }
    }

    /// <inheritdoc />
    /// <remarks>One call at a time: this transport serves a single receive loop.</remarks>
    /// <exception cref="InvalidOperationException">Another receive is already pending.</exception>
    public async ValueTask<CoapDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _receiving, 1) != 0)
        {
            throw new InvalidOperationException("A receive is already pending on this transport; run one receive loop per transport.");
        }

        try
        {
            while (true)
            {
                int length;
                try
                {
                    length = await _socket.ReceiveFromAsync(_scratch, SocketFlags.None, _received, cancellationToken).ConfigureAwait(false);
                }
                catch (SocketException e) when (IsTransient(e.SocketErrorCode) && Volatile.Read(ref _disposed) == 0)
                {
                    // An ICMP error for an earlier send (port unreachable and friends) surfaces here on some
                    // platforms. It says nothing about the next datagram: keep receiving.
                    continue;
                }
                catch (SocketException) when (Volatile.Read(ref _disposed) != 0)
                {
                    throw new ObjectDisposedException(nameof(UdpCoapTransport));
                }

                CoapPeer peer = _peers.GetPeer(_received);
                int copied = Math.Min(length, buffer.Length);
                _scratch.AsSpan(0, copied).CopyTo(buffer.Span);
                return new CoapDatagram(peer, copied, Truncated: length > buffer.Length);
            }
        }
        finally
        {
            Volatile.Write(ref _receiving, 0);
        }
    }

    /// <summary>Closes the socket. A pending receive ends with <see cref="ObjectDisposedException"/>.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _socket.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override string ToString() => $"udp://{LocalEndPoint}";

    private static bool IsTransient(SocketError error) => error is
        SocketError.ConnectionReset or SocketError.ConnectionRefused or SocketError.HostUnreachable or
        SocketError.NetworkUnreachable or SocketError.NetworkReset or SocketError.HostDown or
        SocketError.NetworkDown or SocketError.NoBufferSpaceAvailable or SocketError.MessageSize or
        SocketError.TimedOut;

    private static void IgnoreConnectionResets(Socket socket)
    {
        if (OperatingSystem.IsWindows())
        {
            // SIO_UDP_CONNRESET off: without it Windows fails the next receive after an ICMP port unreachable.
            const int SioUdpConnReset = unchecked((int)0x9800000C);
            socket.IOControl(SioUdpConnReset, [0, 0, 0, 0], null);
        }
    }
}

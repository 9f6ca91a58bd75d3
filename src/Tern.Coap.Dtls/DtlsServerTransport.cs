using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Org.BouncyCastle.Security;
using Tern.Coap.Dtls.Internal;
using Tern.Coap.Transport;

namespace Tern.Coap.Dtls;

/// <summary>
/// A DTLS 1.2 server on one UDP port, as an <see cref="ICoapTransport"/>: many clients, demultiplexed by their
/// address. PSK (CCM_8) and ECDHE-ECDSA handshakes run on Tern's own engine, with HelloVerifyRequest cookies and
/// session resumption; other suites, or options that turn the engine off, get one BouncyCastle server session per
/// peer. <see cref="ReceiveAsync"/> yields decrypted CoAP datagrams
/// tagged with the client's address; <see cref="TryGetPeerInfo"/> tells who that client proved to be.
/// </summary>
public sealed partial class DtlsServerTransport : ICoapTransport
{
    private readonly Socket _socket;
    private readonly DtlsServerOptions _options;
    private readonly ConcurrentDictionary<IPEndPoint, DtlsSession> _peers = new();
    private readonly Channel<(IPEndPoint Peer, byte[] Data)> _received = Channel.CreateBounded<(IPEndPoint, byte[])>(
        new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly CancellationTokenSource _disposed = new();
    private readonly SecureRandom _random = new();
    private readonly ITimer? _idleTimer;
    private readonly Task _receiveLoop;
    private int _handshaking;
    private long _droppedHellos;
    private long _droppedDatagrams;
    private long _bytesSent;
    private long _bytesReceived;

    private DtlsServerTransport(Socket socket, DtlsServerOptions options)
    {
        _socket = socket;
        _options = options;
        LocalEndPoint = new CoapPeer((IPEndPoint)socket.LocalEndPoint!);
        if (options.IdleTimeout is { } idle)
        {
            TimeSpan period = idle / 4 > TimeSpan.FromMilliseconds(1) ? idle / 4 : idle;
            _idleTimer = options.TimeProvider.CreateTimer(static s => ((DtlsServerTransport)s!).CloseIdleSessions(), this, period, period);
        }

        StartNativeEngine();
        _receiveLoop = Task.Run(ReceiveLoopAsync, CancellationToken.None);
    }

    /// <summary>Raised (on a handshake thread) when a client's session is established.</summary>
    public event EventHandler<DtlsSessionEventArgs>? SessionEstablished;

    /// <summary>Raised (on a handshake thread) when a client's handshake fails, with the typed reason.</summary>
    public event EventHandler<DtlsHandshakeFailedEventArgs>? HandshakeFailed;

    /// <inheritdoc />
    public CoapPeer LocalEndPoint { get; }

    /// <inheritdoc />
    public int MaxDatagramSize => _options.MaxDatagramSize;

    /// <summary>Peers currently known: established sessions and handshakes in progress.</summary>
    public int PeerCount => _peers.Count + NativePeerCount;

    /// <summary>Handshakes in progress.</summary>
    public int HandshakesInProgress => Volatile.Read(ref _handshaking) + NativeHandshakes;

    /// <summary>ClientHellos dropped because the handshake or session limit was reached.</summary>
    public long DroppedHellos => Interlocked.Read(ref _droppedHellos);

    /// <summary>Datagrams dropped: from unknown peers without a ClientHello, or failing authentication in a session.</summary>
    public long DroppedDatagrams => Interlocked.Read(ref _droppedDatagrams) + _peers.Values.Sum(p => p.DroppedDatagrams) + NativeDroppedDatagrams;

    internal long BytesSent => Interlocked.Read(ref _bytesSent);

    internal long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>Binds <paramref name="localEndPoint"/> (port 0 picks a free port) and starts accepting clients.</summary>
    public static DtlsServerTransport Bind(IPEndPoint localEndPoint, DtlsServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(localEndPoint);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var socket = new Socket(localEndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(localEndPoint);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new DtlsServerTransport(socket, options);
    }

    /// <summary>Who <paramref name="peer"/> proved to be, when it has an established session.</summary>
    public bool TryGetPeerInfo(CoapPeer peer, out DtlsPeerInfo? info)
    {
        if (TryGetNativePeerInfo(peer, out info))
        {
            return true;
        }

        if (_peers.TryGetValue(peer.EndPoint, out DtlsSession? session) && session.IsEstablished)
        {
            info = session.Monitor.ToPeerInfo();
            return true;
        }

        info = null;
        return false;
    }

    /// <summary>
    /// Encrypts and sends a datagram to a peer with an established session. A DTLS server cannot open sessions,
    /// so a datagram to a peer without one is dropped (delivery is never guaranteed) and false is returned by
    /// <see cref="TrySend"/>; this method ignores that result.
    /// </summary>
    public ValueTask SendAsync(CoapPeer peer, ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken = default)
    {
        TrySend(peer, datagram.Span);
        return ValueTask.CompletedTask;
    }

    /// <summary>Sends to <paramref name="peer"/>; false when it has no established session.</summary>
    public bool TrySend(CoapPeer peer, ReadOnlySpan<byte> datagram)
    {
        if (TrySendNative(peer, datagram, out bool sent))
        {
            return sent;
        }

        if (!_peers.TryGetValue(peer.EndPoint, out DtlsSession? session) || !session.IsEstablished)
        {
            Log.Dropped(_options.Logger, peer.ToString(), "no DTLS session to send on");
            return false;
        }

        try
        {
            session.Send(datagram);
            return true;
        }
        catch (DtlsException)
        {
            Forget(session);
            return false;
        }
    }

    /// <inheritdoc />
    public async ValueTask<CoapDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
        (IPEndPoint peer, byte[] data) = await _received.Reader.ReadAsync(linked.Token).ConfigureAwait(false);
        int length = Math.Min(buffer.Length, data.Length);
        data.AsSpan(0, length).CopyTo(buffer.Span);
        return new CoapDatagram(new CoapPeer(peer), length, data.Length > buffer.Length);
    }

    /// <summary>Sends close_notify to every established peer, then closes the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        foreach (DtlsSession session in _peers.Values)
        {
            session.Close();
        }

        _native?.Dispose();
        _disposed.Cancel();
        if (_idleTimer is not null)
        {
            await _idleTimer.DisposeAsync().ConfigureAwait(false);
        }

        _socket.Dispose();
        await _receiveLoop.ConfigureAwait(false);
        _peers.Clear();
        _received.Writer.TryComplete();
        _disposed.Dispose();
    }
}

/// <summary>A client completed its handshake.</summary>
public sealed class DtlsSessionEventArgs(CoapPeer peer, DtlsPeerInfo info) : EventArgs
{
    /// <summary>The client's address.</summary>
    public CoapPeer Peer { get; } = peer;

    /// <summary>Who the client proved to be.</summary>
    public DtlsPeerInfo Info { get; } = info;

    /// <summary>True when the client resumed a cached session with an abbreviated handshake.</summary>
    public bool Resumed { get; init; }
}

/// <summary>A client's handshake failed.</summary>
public sealed class DtlsHandshakeFailedEventArgs(CoapPeer peer, DtlsException error) : EventArgs
{
    /// <summary>The client's address.</summary>
    public CoapPeer Peer { get; } = peer;

    /// <summary>The typed reason.</summary>
    public DtlsException Error { get; } = error;
}

using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Org.BouncyCastle.Crypto.Tls;
using Org.BouncyCastle.Security;
using Tern.Coap.Dtls.Internal;
using Tern.Coap.Transport;

namespace Tern.Coap.Dtls;

/// <summary>
/// A DTLS 1.2 client to one server, as an <see cref="ICoapTransport"/>: the CoAP engine sends and receives
/// plaintext CoAP datagrams; this class owns the UDP socket, the handshake, and the session's lifetime.
/// After <see cref="DtlsClientOptions.IdleTimeout"/> without traffic the session is closed; the next send
/// performs a new handshake, offering the previous session for resumption.
/// </summary>
public sealed partial class DtlsClientTransport : ICoapTransport
{
    private readonly Socket _socket;
    private readonly DtlsClientOptions _options;
    private readonly CoapPeer _server;
    private readonly Channel<byte[]> _received = Channel.CreateBounded<byte[]>(
        new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = false });
    private readonly CancellationTokenSource _disposed = new();
    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private readonly SecureRandom _random = new();
    private readonly ITimer? _idleTimer;
    private Task _receiveLoop = Task.CompletedTask;
    private volatile DtlsSession? _session;
    private TlsSession? _resumable;
    private long _bytesSent;
    private long _bytesReceived;

    private DtlsClientTransport(Socket socket, IPEndPoint server, DtlsClientOptions options)
    {
        _socket = socket;
        _server = new CoapPeer(server);
        _options = options;
        LocalEndPoint = new CoapPeer((IPEndPoint)socket.LocalEndPoint!);
        if (options.IdleTimeout is { } idle)
        {
            TimeSpan period = idle / 4 > TimeSpan.FromMilliseconds(1) ? idle / 4 : idle;
            _idleTimer = options.TimeProvider.CreateTimer(static s => ((DtlsClientTransport)s!).CheckIdle(), this, period, period);
        }
    }

    /// <inheritdoc />
    public CoapPeer LocalEndPoint { get; }

    /// <summary>The server this transport talks to.</summary>
    public CoapPeer RemoteEndPoint => _server;

    /// <inheritdoc />
    public int MaxDatagramSize => _options.MaxDatagramSize;

    /// <summary>True while a DTLS session is established.</summary>
    public bool IsConnected => _session is { IsEstablished: true };

    /// <summary>How many handshakes completed (the first, and one per reconnect after idle or failure).</summary>
    public int HandshakeCount { get; private set; }

    /// <summary>True when the last handshake resumed the previous session (abbreviated handshake).</summary>
    public bool LastHandshakeResumed { get; private set; }

    /// <summary>The server's identity as established by the last handshake.</summary>
    public DtlsPeerInfo? Server { get; private set; }

    /// <summary>Datagrams dropped by the current session because they failed authentication or were malformed.</summary>
    public long DroppedDatagrams => _session?.DroppedDatagrams ?? 0;

    internal long BytesSent => Interlocked.Read(ref _bytesSent);

    internal long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>
    /// Opens a UDP socket towards <paramref name="server"/> and completes a DTLS handshake. Throws
    /// <see cref="DtlsException"/> naming the reason when the handshake fails.
    /// </summary>
    public static async ValueTask<DtlsClientTransport> ConnectAsync(IPEndPoint server, DtlsClientOptions options, CancellationToken cancellationToken = default)
    {
        DtlsClientTransport transport = Create(server, options);
        try
        {
            await transport.EnsureSessionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await transport.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return transport;
    }

    /// <summary>
    /// Opens a UDP socket towards <paramref name="server"/> without a handshake: the first send (or
    /// <see cref="EnsureConnectedAsync"/>) performs it. A client that must keep retrying by its own policy while
    /// the server is unreachable starts this way; failures then show in <see cref="HandshakeFailed"/>.
    /// </summary>
    public static DtlsClientTransport Create(IPEndPoint server, DtlsClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(server.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
            socket.Connect(server);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var transport = new DtlsClientTransport(socket, server, options);
        transport._receiveLoop = Task.Run(transport.ReceiveLoopAsync, CancellationToken.None);
        return transport;
    }

    /// <summary>Raised when a handshake fails (not when it is cancelled), with the typed reason, before the send or connect throws it.</summary>
    public event EventHandler<DtlsException>? HandshakeFailed;

    /// <inheritdoc />
    public async ValueTask SendAsync(CoapPeer peer, ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken = default)
    {
        if (peer != _server)
        {
            throw new ArgumentException($"This DTLS client only talks to {_server}, not {peer}.", nameof(peer));
        }

        DtlsSession session = await EnsureSessionAsync(cancellationToken).ConfigureAwait(false);
        session.Send(datagram.Span);
    }

    /// <inheritdoc />
    public async ValueTask<CoapDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
        byte[] datagram;
        try
        {
            datagram = await _received.Reader.ReadAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ObjectDisposedException(nameof(DtlsClientTransport));
        }

        int length = Math.Min(datagram.Length, buffer.Length);
        datagram.AsSpan(0, length).CopyTo(buffer.Span);
        return new CoapDatagram(_server, length, datagram.Length > buffer.Length);
    }

    /// <summary>
    /// Opens a session now unless one is established (a client leaving queue mode calls this before it
    /// sends); offers the previous session for resumption. Throws <see cref="DtlsException"/> on failure.
    /// </summary>
    public async ValueTask EnsureConnectedAsync(CancellationToken cancellationToken = default) =>
        await EnsureSessionAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Closes the current session (close_notify) without disposing; the next send reconnects.</summary>
    public void CloseSession()
    {
        _session?.Close();
    }

    /// <summary>Sends close_notify, closes the socket and stops the receive loop.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        _session?.Close();
        _disposed.Cancel();
        if (_idleTimer is not null)
        {
            await _idleTimer.DisposeAsync().ConfigureAwait(false);
        }

        _socket.Dispose();
        try
        {
            await _receiveLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _received.Writer.TryComplete();
        _disposed.Dispose();
        _connectGate.Dispose();
    }
}

using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Tern.Benchmarks.Dtls;

/// <summary>
/// A UDP relay between one DTLS client and a server that counts what crosses it: datagrams, all bytes, and the
/// bytes of handshake-phase records (content types 20 change_cipher_spec and 22 handshake, headers included).
/// Putting it in front of either side lets Tern and libcoap be measured the same way. It also reads, from the
/// plaintext epoch-0 hellos, whether the client offered a session and whether the server took it up.
/// </summary>
public sealed class HandshakeWireCounter : IAsyncDisposable
{
    private readonly Socket _front = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Socket _back = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _forward;
    private readonly Task _backward;
    private IPEndPoint? _client;
    private long _handshakeBytes;
    private long _totalBytes;
    private long _datagrams;
    private long _handshakeDatagrams;
    private long _handshakeBytesToServer;
    private byte[]? _offeredSessionId;
    private byte[]? _serverSessionId;
    private int _helloVerifyRequests;

    public HandshakeWireCounter(IPEndPoint target)
    {
        _target = target;
        _front.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _back.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _forward = Task.Run(ForwardAsync);
        _backward = Task.Run(BackwardAsync);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_front.LocalEndPoint!;

    public long HandshakeBytes => Interlocked.Read(ref _handshakeBytes);

    public long TotalBytes => Interlocked.Read(ref _totalBytes);

    public long Datagrams => Interlocked.Read(ref _datagrams);

    /// <summary>Datagrams that carried at least one handshake or change_cipher_spec record.</summary>
    public long HandshakeDatagrams => Interlocked.Read(ref _handshakeDatagrams);

    /// <summary>Handshake and change_cipher_spec bytes sent by the client.</summary>
    public long HandshakeBytesToServer => Interlocked.Read(ref _handshakeBytesToServer);

    /// <summary>Handshake and change_cipher_spec bytes sent by the server.</summary>
    public long HandshakeBytesToClient => HandshakeBytes - HandshakeBytesToServer;

    /// <summary>The cipher suite in the last ServerHello seen (0 before one).</summary>
    public int SelectedCipherSuite { get; private set; }

    /// <summary>HelloVerifyRequests (cookie exchanges) the server sent since the last reset.</summary>
    public int HelloVerifyRequests => Volatile.Read(ref _helloVerifyRequests);

    /// <summary>The length of the session id in the last ServerHello, or null before one (0: the server offers no resumption).</summary>
    public int? ServerSessionIdLength => _serverSessionId?.Length;

    /// <summary>What the last pair of hellos says about resumption, or null before a ServerHello.</summary>
    public string? Resumption => (_offeredSessionId, _serverSessionId) switch
    {
        (_, null) => null,
        (null or { Length: 0 }, _) => "client offered no session",
        ({ } offered, { } given) when offered.AsSpan().SequenceEqual(given) => "resumed",
        (_, { Length: 0 }) => "not resumed: server gave no session id",
        _ => "not resumed: server gave a new session",
    };

    public void Reset()
    {
        Interlocked.Exchange(ref _handshakeBytes, 0);
        Interlocked.Exchange(ref _totalBytes, 0);
        Interlocked.Exchange(ref _datagrams, 0);
        Interlocked.Exchange(ref _handshakeDatagrams, 0);
        Interlocked.Exchange(ref _handshakeBytesToServer, 0);
        Interlocked.Exchange(ref _helloVerifyRequests, 0);
        _offeredSessionId = null;
        _serverSessionId = null;
    }

    // Client to server: remember who the client is, so that answers can find their way back.
    private Task ForwardAsync() => RelayAsync(_front, _back, toServer: true, source =>
    {
        _client = (IPEndPoint)source;
        return _target;
    });

    // Server to client: nowhere to go before the client has spoken.
    private Task BackwardAsync() => RelayAsync(_back, _front, toServer: false, _ => _client);

    private async Task RelayAsync(Socket from, Socket to, bool toServer, Func<EndPoint, IPEndPoint?> destination)
    {
        byte[] buffer = new byte[65536];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                SocketReceiveFromResult r = await from.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
                Count(buffer.AsSpan(0, r.ReceivedBytes), toServer);
                if (destination(r.RemoteEndPoint) is { } target)
                {
                    await to.SendToAsync(buffer.AsMemory(0, r.ReceivedBytes), SocketFlags.None, target, _stop.Token);
                }
            }
            catch (SocketException)
            {
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    private void Count(ReadOnlySpan<byte> datagram, bool toServer)
    {
        Interlocked.Increment(ref _datagrams);
        Interlocked.Add(ref _totalBytes, datagram.Length);
        bool handshake = false;
        int offset = 0;
        while (datagram.Length - offset >= 13)
        {
            byte type = datagram[offset];
            int length = BinaryPrimitives.ReadUInt16BigEndian(datagram[(offset + 11)..]);
            bool plaintext = datagram[offset + 3] == 0 && datagram[offset + 4] == 0;
            if (type == 22 && plaintext && offset + 13 + length <= datagram.Length)
            {
                ReadHello(datagram.Slice(offset + 13, length));
            }

            if (type is 20 or 22)
            {
                handshake = true;
                Interlocked.Add(ref _handshakeBytes, 13 + length);
                if (toServer)
                {
                    Interlocked.Add(ref _handshakeBytesToServer, 13 + length);
                }
            }

            offset += 13 + length;
        }

        if (handshake)
        {
            Interlocked.Increment(ref _handshakeDatagrams);
        }
    }

    // An epoch-0 handshake fragment: 12-byte DTLS handshake header, then for both hellos version (2) and random (32),
    // then the session id; the ServerHello follows it with the chosen suite. Only unfragmented starts are read.
    private void ReadHello(ReadOnlySpan<byte> fragment)
    {
        const int SessionIdAt = 12 + 2 + 32;
        if (fragment.Length < 12 || fragment[6] != 0 || fragment[7] != 0 || fragment[8] != 0)
        {
            return;
        }

        byte messageType = fragment[0];
        if (messageType == 3)
        {
            Interlocked.Increment(ref _helloVerifyRequests);
            return;
        }

        if (messageType is not (1 or 2) || fragment.Length <= SessionIdAt || fragment.Length < SessionIdAt + 1 + fragment[SessionIdAt])
        {
            return;
        }

        byte[] sessionId = fragment.Slice(SessionIdAt + 1, fragment[SessionIdAt]).ToArray();
        if (messageType == 1)
        {
            _offeredSessionId = sessionId;
            return;
        }

        _serverSessionId = sessionId;
        int suiteAt = SessionIdAt + 1 + sessionId.Length;
        if (suiteAt + 2 <= fragment.Length)
        {
            SelectedCipherSuite = BinaryPrimitives.ReadUInt16BigEndian(fragment[suiteAt..]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _front.Dispose();
        _back.Dispose();
        await Task.WhenAll(_forward, _backward);
        _stop.Dispose();
    }
}

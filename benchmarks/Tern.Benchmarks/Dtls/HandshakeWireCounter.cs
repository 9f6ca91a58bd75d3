using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Tern.Benchmarks.Dtls;

/// <summary>
/// A UDP relay between one DTLS client and a server that counts what crosses it: datagrams, all bytes, and the
/// bytes of handshake-phase records (content types 20 change_cipher_spec and 22 handshake, headers included).
/// Putting it in front of either side lets Tern and libcoap be measured the same way.
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

    /// <summary>The cipher suite in the last ServerHello seen (0 before one).</summary>
    public int SelectedCipherSuite { get; private set; }

    public void Reset()
    {
        Interlocked.Exchange(ref _handshakeBytes, 0);
        Interlocked.Exchange(ref _totalBytes, 0);
        Interlocked.Exchange(ref _datagrams, 0);
    }

    // Client to server: remember who the client is, so that answers can find their way back.
    private Task ForwardAsync() => RelayAsync(_front, _back, source =>
    {
        _client = (IPEndPoint)source;
        return _target;
    });

    // Server to client: nowhere to go before the client has spoken.
    private Task BackwardAsync() => RelayAsync(_back, _front, _ => _client);

    private async Task RelayAsync(Socket from, Socket to, Func<EndPoint, IPEndPoint?> destination)
    {
        byte[] buffer = new byte[65536];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                SocketReceiveFromResult r = await from.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
                Count(buffer.AsSpan(0, r.ReceivedBytes));
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

    private void Count(ReadOnlySpan<byte> datagram)
    {
        Interlocked.Increment(ref _datagrams);
        Interlocked.Add(ref _totalBytes, datagram.Length);
        int offset = 0;
        while (datagram.Length - offset >= 13)
        {
            byte type = datagram[offset];
            int length = BinaryPrimitives.ReadUInt16BigEndian(datagram[(offset + 11)..]);
            if (type == 22 && length >= 12 + 35 && datagram[offset + 3] == 0 && datagram[offset + 4] == 0 && datagram[offset + 13] == 2)
            {
                int sessionIdLength = datagram[offset + 13 + 12 + 34];
                int at = offset + 13 + 12 + 35 + sessionIdLength;
                if (at + 2 <= datagram.Length)
                {
                    SelectedCipherSuite = BinaryPrimitives.ReadUInt16BigEndian(datagram[at..]);
                }
            }

            if (type is 20 or 22)
            {
                Interlocked.Add(ref _handshakeBytes, 13 + length);
            }

            offset += 13 + length;
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

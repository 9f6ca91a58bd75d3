using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Tern.Benchmarks.Throughput;

/// <summary>
/// One UDP socket that carries a fixed number of request "slots" to a loopback server, built without Tern code. Each
/// slot has one CON request outstanding at a time; answers (piggybacked ACKs) are matched to slots by message ID; the
/// socket is swapped for a fresh one before its message IDs wrap, so the server never answers from its duplicate
/// cache. Subclasses say what a slot sends and what it does with an answer. Everything runs under the lane's lock.
/// </summary>
internal abstract class RawUdpLane : IDisposable
{
    // Leave a margin below 65 536 so requests still in flight when the lane rotates are never confused.
    private const int MessageIdsPerSocket = 60_000;

    private readonly Lock _gate = new();
    private readonly SocketAddress _serverAddress;
    private readonly int[] _slotOfMessageId = new int[65536];
    private readonly long[] _sentAt;
    private readonly ushort[] _messageIdOf;
    private readonly long _timeoutTicks;
    private readonly uint _tokenPrefix;
    private Socket _socket = null!;
    private int _issuedOnSocket;
    private uint _token;

    /// <summary>Requests given up after the timeout and started over.</summary>
    public long Lost;

    protected RawUdpLane(IPEndPoint server, int slots, uint tokenPrefix, TimeSpan requestTimeout)
    {
        _serverAddress = server.Serialize();
        _sentAt = new long[slots];
        _messageIdOf = new ushort[slots];
        _tokenPrefix = tokenPrefix;
        _timeoutTicks = (long)(requestTimeout.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Opens the socket, starts every slot and handles answers until <paramref name="stop"/>.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var buffer = new byte[2048];
        var from = new SocketAddress(AddressFamily.InterNetwork);
        Socket socket;
        lock (_gate)
        {
            Reopen();
            socket = _socket;
        }

        while (!stop.IsCancellationRequested)
        {
            int length;
            try
            {
                length = await socket.ReceiveFromAsync(buffer, SocketFlags.None, from, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                lock (_gate)
                {
                    socket = _socket;
                }

                continue;
            }

            lock (_gate)
            {
                OnDatagram(buffer.AsSpan(0, length));
                if (_issuedOnSocket >= MessageIdsPerSocket)
                {
                    Reopen();
                }

                socket = _socket;
            }
        }
    }

    /// <summary>Starts over the slots whose request went unanswered too long (a server under load may drop datagrams).</summary>
    public void Sweep()
    {
        long now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            for (int slot = 0; slot < _sentAt.Length; slot++)
            {
                if (now - _sentAt[slot] > _timeoutTicks)
                {
                    _slotOfMessageId[_messageIdOf[slot]] = -1;
                    Lost++;
                    Start(slot);
                }
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            _socket.Dispose();
        }
    }

    /// <summary>Sends a slot's first request (on a fresh socket, or after a timeout).</summary>
    protected abstract void Start(int slot);

    /// <summary>Handles the answer with <paramref name="code"/> to <paramref name="slot"/>'s request; should send its next one.</summary>
    protected abstract void OnAnswer(int slot, byte code, ReadOnlySpan<byte> datagram);

    /// <summary>Writes a CON header with a 4-byte token and a fresh message ID recorded for <paramref name="slot"/>; returns its length.</summary>
    protected int WriteHeader(Span<byte> request, int slot, byte code)
    {
        var messageId = (ushort)_issuedOnSocket++;
        _token++;
        request[0] = 0x44;
        request[1] = code;
        BinaryPrimitives.WriteUInt16BigEndian(request[2..], messageId);
        BinaryPrimitives.WriteUInt32BigEndian(request[4..], _tokenPrefix | (_token & 0xFFFFFF));
        _slotOfMessageId[messageId] = slot;
        _messageIdOf[slot] = messageId;
        return 8;
    }

    /// <summary>Sends <paramref name="slot"/>'s request, starting its timeout.</summary>
    protected void Send(int slot, ReadOnlySpan<byte> request)
    {
        _sentAt[slot] = Stopwatch.GetTimestamp();
        try
        {
            _socket.SendTo(request, SocketFlags.None, _serverAddress);
        }
        catch (SocketException)
        {
            // Counted as lost by the sweep if nothing comes back.
        }
    }

    private void OnDatagram(ReadOnlySpan<byte> datagram)
    {
        // Expect a piggybacked answer: version 1, ACK.
        if (datagram.Length < 4 || datagram[0] >> 6 != 1 || (datagram[0] >> 4 & 3) != 2)
        {
            return;
        }

        ushort messageId = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        int slot = _slotOfMessageId[messageId];
        if (slot < 0)
        {
            return;
        }

        _slotOfMessageId[messageId] = -1;
        OnAnswer(slot, datagram[1], datagram);
    }

    private void Reopen()
    {
        _socket?.Dispose();
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 1 << 20 };
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Array.Fill(_slotOfMessageId, -1);
        _issuedOnSocket = 0;
        for (int slot = 0; slot < _sentAt.Length; slot++)
        {
            Start(slot);
        }
    }
}

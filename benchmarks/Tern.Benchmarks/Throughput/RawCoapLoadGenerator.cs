using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Tern.Benchmarks.Throughput;

/// <summary>What one load run measured.</summary>
/// <param name="Responses">2.05 responses counted in the measured window.</param>
/// <param name="Elapsed">Length of the measured window.</param>
/// <param name="ErrorResponses">Responses with any other code.</param>
/// <param name="TimedOut">Requests given up after <see cref="RawCoapLoadGenerator.RequestTimeout"/> and replaced.</param>
/// <param name="ResponseBytes">Length of the last good response datagram (to check both servers answer alike).</param>
public sealed record LoadResult(long Responses, TimeSpan Elapsed, long ErrorResponses, long TimedOut, int ResponseBytes)
{
    /// <summary>Responses per second in the measured window.</summary>
    public double PerSecond => Responses / Elapsed.TotalSeconds;
}

/// <summary>
/// A CoAP load generator that uses no Tern code: raw UDP sockets, hand-built 8-byte CON GET requests with distinct
/// message IDs and tokens, and a fixed number of requests outstanding at all times (a new one goes out as soon as a
/// response comes back). Spread over a few sockets ("lanes"); a lane moves to a fresh source port before its message
/// IDs wrap, so no server ever sees a repeated message ID from one peer and answers from its duplicate cache.
/// </summary>
public sealed class RawCoapLoadGenerator
{
    /// <summary>A request unanswered this long is counted as timed out and replaced by a new one.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(1);

    private readonly IPEndPoint _server;
    private readonly int _concurrency;
    private readonly int _lanes;

    /// <summary>Prepares a generator against <paramref name="server"/> (must be loopback) keeping <paramref name="concurrency"/> requests outstanding.</summary>
    public RawCoapLoadGenerator(IPEndPoint server, int concurrency, int lanes = 4)
    {
        if (!IPAddress.IsLoopback(server.Address))
        {
            throw new ArgumentException("The load generator only targets loopback addresses.", nameof(server));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        _server = server;
        _concurrency = concurrency;
        _lanes = Math.Clamp(lanes, 1, concurrency);
    }

    /// <summary>Runs <paramref name="warmup"/> unmeasured, then measures for <paramref name="duration"/> or until <paramref name="maxResponses"/>.</summary>
    public async Task<LoadResult> RunAsync(TimeSpan warmup, TimeSpan duration, long maxResponses = 50_000_000)
    {
        using var stop = new CancellationTokenSource();
        Lane[] lanes = [.. Enumerable.Range(0, _lanes).Select(i => new Lane(_server, _concurrency / _lanes + (i < _concurrency % _lanes ? 1 : 0), (uint)i << 24))];
        Task[] loops = [.. lanes.Select(l => l.RunAsync(stop.Token))];
        using var sweeper = new Timer(_ => Array.ForEach(lanes, l => l.Sweep()), null, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100));

        await Task.Delay(warmup);
        (long good, long bad, long lost) start = Totals(lanes);
        long startTime = Stopwatch.GetTimestamp();
        long deadline = startTime + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline && Totals(lanes).good - start.good < maxResponses)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        (long good, long bad, long lost) end = Totals(lanes);
        TimeSpan elapsed = Stopwatch.GetElapsedTime(startTime);
        await stop.CancelAsync();
        await Task.WhenAll(loops);
        foreach (Lane lane in lanes)
        {
            lane.Dispose();
        }

        return new LoadResult(end.good - start.good, elapsed, end.bad - start.bad, end.lost - start.lost, lanes.Max(l => l.LastResponseLength));
    }

    private static (long good, long bad, long lost) Totals(Lane[] lanes) =>
        (lanes.Sum(l => Interlocked.Read(ref l.Good)), lanes.Sum(l => Interlocked.Read(ref l.Bad)), lanes.Sum(l => Interlocked.Read(ref l.Lost)));

    /// <summary>One socket with its share of the outstanding requests. All state changes happen under its lock.</summary>
    private sealed class Lane(IPEndPoint server, int slots, uint tokenPrefix) : IDisposable
    {
        // Leave a margin below 65 536 so requests still in flight when the lane rotates are never confused.
        private const int MessageIdsPerSocket = 60_000;

        private readonly Lock _gate = new();
        private readonly SocketAddress _serverAddress = server.Serialize();
        private readonly int[] _slotOfMessageId = new int[65536];
        private readonly long[] _slotSentAt = new long[slots];
        private readonly ushort[] _slotMessageId = new ushort[slots];
        private readonly byte[] _request = new byte[8];
        private Socket _socket = null!;
        private int _issuedOnSocket;
        private uint _token;

        public long Good;
        public long Bad;
        public long Lost;

        public int LastResponseLength { get; private set; }

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
                catch (SocketException)
                {
                    continue;
                }
                catch (ObjectDisposedException)
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

        /// <summary>Replaces requests that went unanswered for too long (a server under load may drop datagrams).</summary>
        public void Sweep()
        {
            long now = Stopwatch.GetTimestamp();
            long limit = (long)(RequestTimeout.TotalSeconds * Stopwatch.Frequency);
            lock (_gate)
            {
                for (int slot = 0; slot < _slotSentAt.Length; slot++)
                {
                    if (now - _slotSentAt[slot] > limit)
                    {
                        _slotOfMessageId[_slotMessageId[slot]] = -1;
                        Lost++;
                        Issue(slot);
                    }
                }
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _socket.Dispose();
            }
        }

        private void OnDatagram(ReadOnlySpan<byte> datagram)
        {
            // Expect a piggybacked response: version 1, ACK, code 2.05 (anything else in class 4/5 is an error).
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
            if (datagram[1] == 0x45)
            {
                Good++;
                LastResponseLength = datagram.Length;
            }
            else
            {
                Bad++;
            }

            Issue(slot);
        }

        private void Reopen()
        {
            _socket?.Dispose();
            _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            _socket.ReceiveBufferSize = 1 << 20;
            _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            Array.Fill(_slotOfMessageId, -1);
            _issuedOnSocket = 0;
            for (int slot = 0; slot < _slotSentAt.Length; slot++)
            {
                Issue(slot);
            }
        }

        private void Issue(int slot)
        {
            var messageId = (ushort)_issuedOnSocket++;
            _token++;

            // CON GET, token length 4, no options: GET of the root resource "/".
            _request[0] = 0x44;
            _request[1] = 0x01;
            BinaryPrimitives.WriteUInt16BigEndian(_request.AsSpan(2), messageId);
            BinaryPrimitives.WriteUInt32BigEndian(_request.AsSpan(4), tokenPrefix | (_token & 0xFFFFFF));
            _slotOfMessageId[messageId] = slot;
            _slotMessageId[slot] = messageId;
            _slotSentAt[slot] = Stopwatch.GetTimestamp();
            try
            {
                _socket.SendTo(_request, SocketFlags.None, _serverAddress);
            }
            catch (SocketException)
            {
                // Counted as lost by the sweep if nothing comes back.
            }
        }
    }
}

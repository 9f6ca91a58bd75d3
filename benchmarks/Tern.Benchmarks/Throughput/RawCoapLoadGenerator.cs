using System.Diagnostics;
using System.Net;

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

    /// <summary>One socket with its share of the outstanding requests: each slot sends GET / again as soon as it is answered.</summary>
    private sealed class Lane(IPEndPoint server, int slots, uint tokenPrefix) : RawUdpLane(server, slots, tokenPrefix, RequestTimeout)
    {
        private readonly byte[] _request = new byte[8];

        public long Good;
        public long Bad;

        public int LastResponseLength { get; private set; }

        // CON GET, token length 4, no options: GET of the root resource "/".
        protected override void Start(int slot) => Send(slot, _request.AsSpan(0, WriteHeader(_request, slot, code: 0x01)));

        protected override void OnAnswer(int slot, byte code, ReadOnlySpan<byte> datagram)
        {
            if (code == 0x45)
            {
                Good++;
                LastResponseLength = datagram.Length;
            }
            else
            {
                Bad++;
            }

            Start(slot);
        }
    }
}

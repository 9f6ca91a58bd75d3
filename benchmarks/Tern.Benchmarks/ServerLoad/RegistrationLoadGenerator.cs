using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using Tern.Benchmarks.Throughput;
using System.Text;

namespace Tern.Benchmarks.ServerLoad;

/// <summary>What one registration load run measured.</summary>
/// <param name="Registrations">2.01 answers to Register in the measured window.</param>
/// <param name="Deregistrations">2.02 answers to De-register in the measured window.</param>
/// <param name="Elapsed">Length of the measured window.</param>
/// <param name="ErrorResponses">Answers with any other code.</param>
/// <param name="TimedOut">Requests given up after <see cref="RegistrationLoadGenerator.RequestTimeout"/> and replaced.</param>
public sealed record RegistrationLoadResult(long Registrations, long Deregistrations, TimeSpan Elapsed, long ErrorResponses, long TimedOut)
{
    /// <summary>Registrations per second.</summary>
    public double RegistrationsPerSecond => Registrations / Elapsed.TotalSeconds;

    /// <summary>Register and De-register requests answered per second.</summary>
    public double RequestsPerSecond => (Registrations + Deregistrations) / Elapsed.TotalSeconds;
}

/// <summary>
/// Many simulated LwM2M clients that register and de-register in a loop, built without Tern code: raw UDP sockets
/// and hand-built CoAP. Each client ("slot") has its own endpoint name; it sends Register (POST /rd?ep=..&amp;lt=300
/// &amp;lwm2m=1.1&amp;b=U with two object links), reads the registration id from the 2.01's Location-Path, sends
/// De-register (DELETE /rd/{id}), and starts over when the 2.02 arrives. Clients share a few sockets ("lanes"); a lane
/// moves to a fresh port before its message IDs wrap, so the server never answers from its duplicate cache.
/// </summary>
public sealed class RegistrationLoadGenerator
{
    /// <summary>A request unanswered this long is counted as timed out and the client starts over with Register.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(2);

    private readonly IPEndPoint _server;
    private readonly int _clients;
    private readonly int _lanes;

    /// <summary>Prepares <paramref name="clients"/> simulated clients against <paramref name="server"/> (loopback only).</summary>
    public RegistrationLoadGenerator(IPEndPoint server, int clients, int lanes = 4)
    {
        if (!IPAddress.IsLoopback(server.Address))
        {
            throw new ArgumentException("The load generator only targets loopback addresses.", nameof(server));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(clients, 1);
        _server = server;
        _clients = clients;
        _lanes = Math.Clamp(lanes, 1, clients);
    }

    /// <summary>Runs <paramref name="warmup"/> unmeasured, then measures for <paramref name="duration"/>.</summary>
    public async Task<RegistrationLoadResult> RunAsync(TimeSpan warmup, TimeSpan duration)
    {
        using var stop = new CancellationTokenSource();
        int next = 0;
        Lane[] lanes = [.. Enumerable.Range(0, _lanes).Select(i =>
        {
            int slots = _clients / _lanes + (i < _clients % _lanes ? 1 : 0);
            var lane = new Lane(_server, i, next, slots);
            next += slots;
            return lane;
        })];
        Task[] loops = [.. lanes.Select(l => l.RunAsync(stop.Token))];
        using var sweeper = new Timer(_ => Array.ForEach(lanes, l => l.Sweep()), null, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(200));

        await Task.Delay(warmup);
        Totals start = Sum(lanes);
        long startTime = Stopwatch.GetTimestamp();
        await Task.Delay(duration);
        Totals end = Sum(lanes);
        TimeSpan elapsed = Stopwatch.GetElapsedTime(startTime);
        await stop.CancelAsync();
        await Task.WhenAll(loops);
        foreach (Lane lane in lanes)
        {
            lane.Dispose();
        }

        return new RegistrationLoadResult(end.Registered - start.Registered, end.Deregistered - start.Deregistered, elapsed, end.Bad - start.Bad, end.Lost - start.Lost);
    }

    private readonly record struct Totals(long Registered, long Deregistered, long Bad, long Lost);

    private static Totals Sum(Lane[] lanes) => new(
        lanes.Sum(l => Interlocked.Read(ref l.Registered)),
        lanes.Sum(l => Interlocked.Read(ref l.Deregistered)),
        lanes.Sum(l => Interlocked.Read(ref l.Bad)),
        lanes.Sum(l => Interlocked.Read(ref l.Lost)));

    /// <summary>One socket with its share of the clients, each registering and de-registering in turn.</summary>
    private sealed class Lane : RawUdpLane
    {
        private static readonly byte[] Links = "</1/0>,</3/0>"u8.ToArray();

        private readonly byte[][] _endpointNames;
        private readonly byte[][] _location;
        private readonly int[] _locationLength;
        private readonly bool[] _deregistering;
        private readonly byte[] _request = new byte[256];

        public long Registered;
        public long Deregistered;
        public long Bad;

        public Lane(IPEndPoint server, int index, int firstClient, int slots)
            : base(server, slots, (uint)index << 24, RequestTimeout)
        {
            _endpointNames = [.. Enumerable.Range(firstClient, slots).Select(c => Encoding.ASCII.GetBytes($"ep=bench-{c}"))];
            _location = [.. Enumerable.Range(0, slots).Select(_ => new byte[64])];
            _locationLength = new int[slots];
            _deregistering = new bool[slots];
        }

        protected override void Start(int slot) => IssueRegister(slot);

        protected override void OnAnswer(int slot, byte code, ReadOnlySpan<byte> datagram)
        {
            if (!_deregistering[slot] && code == 0x41 && TryReadLocationId(datagram, _location[slot], out _locationLength[slot]))
            {
                Registered++;
                IssueDeregister(slot);
            }
            else if (_deregistering[slot] && code == 0x42)
            {
                Deregistered++;
                IssueRegister(slot);
            }
            else
            {
                Bad++;
                IssueRegister(slot);
            }
        }

        /// <summary>Copies the last Location-Path segment (the registration id) of a 2.01.</summary>
        private static bool TryReadLocationId(ReadOnlySpan<byte> datagram, byte[] into, out int length)
        {
            length = 0;
            int position = 4 + (datagram[0] & 0x0F);
            int number = 0;
            bool found = false;
            while (position < datagram.Length && datagram[position] != 0xFF)
            {
                int delta = datagram[position] >> 4;
                int size = datagram[position] & 0x0F;
                position++;
                if (!TryExtend(datagram, ref position, ref delta) || !TryExtend(datagram, ref position, ref size) || position + size > datagram.Length)
                {
                    return false;
                }

                number += delta;
                if (number == 8 && size <= into.Length)
                {
                    datagram.Slice(position, size).CopyTo(into);
                    length = size;
                    found = true;
                }

                position += size;
            }

            return found;
        }

        private static bool TryExtend(ReadOnlySpan<byte> datagram, ref int position, ref int value)
        {
            if (value == 13 && position < datagram.Length)
            {
                value = 13 + datagram[position++];
            }
            else if (value == 14 && position + 1 < datagram.Length)
            {
                value = 269 + BinaryPrimitives.ReadUInt16BigEndian(datagram[position..]);
                position += 2;
            }

            return value < 15;
        }

        private void IssueRegister(int slot)
        {
            _deregistering[slot] = false;
            int length = WriteHeader(_request, slot, code: 0x02);
            length = Option(length, 11, "rd"u8); // Uri-Path (11)
            length = Option(length, 1, [40]); // Content-Format (12): link format
            length = Option(length, 3, _endpointNames[slot]); // Uri-Query (15)
            length = Option(length, 0, "lt=300"u8);
            length = Option(length, 0, "lwm2m=1.1"u8);
            length = Option(length, 0, "b=U"u8);
            _request[length++] = 0xFF;
            Links.CopyTo(_request, length);
            Send(slot, _request.AsSpan(0, length + Links.Length));
        }

        private void IssueDeregister(int slot)
        {
            _deregistering[slot] = true;
            int length = WriteHeader(_request, slot, code: 0x04);
            length = Option(length, 11, "rd"u8); // Uri-Path (11)
            length = Option(length, 0, _location[slot].AsSpan(0, _locationLength[slot]));
            Send(slot, _request.AsSpan(0, length));
        }

        /// <summary>Writes one option with a delta below 13 and a value shorter than 269 bytes.</summary>
        private int Option(int at, int delta, ReadOnlySpan<byte> value)
        {
            if (value.Length < 13)
            {
                _request[at++] = (byte)(delta << 4 | value.Length);
            }
            else
            {
                _request[at++] = (byte)(delta << 4 | 13);
                _request[at++] = (byte)(value.Length - 13);
            }

            value.CopyTo(_request.AsSpan(at));
            return at + value.Length;
        }
    }
}

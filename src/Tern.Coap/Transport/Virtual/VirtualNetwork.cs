using System.Net;
using Tern.Coap.Timing;

namespace Tern.Coap.Transport.Virtual;

/// <summary>
/// An in-memory datagram network for tests and simulations. Each <see cref="VirtualCoapTransport"/> on it has a
/// made-up address (10.0.x.y:5683 unless chosen); no socket is ever opened. Links lose, duplicate, delay and
/// reorder datagrams as their <see cref="VirtualLinkConditions"/> say, drawing from one seeded generator, and
/// delayed datagrams arrive through the <see cref="TimeProvider"/>'s timers, so on a <see cref="VirtualTimeProvider"/>
/// they arrive only when the clock reaches them. Every datagram is recorded in <see cref="Capture"/>.
/// </summary>
/// <remarks>
/// Runs repeat exactly when the parties act in a repeatable order, which <see cref="RunUntilIdleAsync"/> and its
/// siblings arrange by letting all work settle before each step of the clock.
/// </remarks>
public sealed partial class VirtualNetwork : IAsyncDisposable
{
    /// <summary>The port made-up addresses use unless one is chosen.</summary>
    public const int DefaultPort = 5683;

    private readonly Lock _gate = new();
    private readonly Random _random;
    private readonly Dictionary<CoapPeer, VirtualCoapTransport> _transports = [];
    private readonly Dictionary<(CoapPeer From, CoapPeer To), VirtualLinkConditions> _links = [];
    private readonly HashSet<(CoapPeer, CoapPeer)> _partitions = [];
    private readonly HashSet<PendingDelivery> _inFlight = [];
    private readonly Queue<VirtualDatagram> _capture = new();
    private VirtualLinkConditions _defaults = VirtualLinkConditions.Perfect;
    private int _nextHost;
    private long _sequence;
    private bool _disposed;

    /// <summary>Creates an empty network on <paramref name="timeProvider"/>.</summary>
    /// <param name="timeProvider">The clock delays run on; a <see cref="VirtualTimeProvider"/> for tests.</param>
    /// <param name="seed">Seed of the generator behind every random choice the network makes.</param>
    public VirtualNetwork(TimeProvider timeProvider, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        TimeProvider = timeProvider;
        _random = new Random(seed);
    }

    /// <summary>The clock the network delivers on.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Conditions of every link that has none of its own (<see cref="VirtualLinkConditions.Perfect"/> at first).</summary>
    public VirtualLinkConditions DefaultConditions
    {
        get
        {
            lock (_gate)
            {
                return _defaults;
            }
        }

        set
        {
            ArgumentNullException.ThrowIfNull(value);
            value.Validate();
            lock (_gate)
            {
                _defaults = value;
            }
        }
    }

    /// <summary>How many datagrams each transport queues before the network drops more (1024 unless set).</summary>
    public int ReceiveQueueCapacity { get; init; } = 1024;

    /// <summary>How many datagrams <see cref="Capture"/> keeps; the oldest are forgotten beyond it (100 000 unless set).</summary>
    public int CaptureCapacity { get; init; } = 100_000;

    /// <summary>A snapshot of the recorded datagrams, oldest first.</summary>
    public IReadOnlyList<VirtualDatagram> Capture
    {
        get
        {
            lock (_gate)
            {
                return [.. _capture];
            }
        }
    }

    /// <summary>Datagrams sent but not yet due at their receiver.</summary>
    public int InFlightCount
    {
        get
        {
            lock (_gate)
            {
                return _inFlight.Count;
            }
        }
    }

    /// <summary>Opens a transport at the next free made-up address (10.0.0.1:5683, 10.0.0.2:5683, …).</summary>
    /// <param name="maxDatagramSize">The largest datagram it sends (1152 unless set).</param>
    public VirtualCoapTransport CreateTransport(int maxDatagramSize = 1152)
    {
        lock (_gate)
        {
            CoapPeer address;
            do
            {
                int host = _nextHost++;
                address = new CoapPeer(new IPEndPoint(new IPAddress([10, 0, (byte)(host / 254 % 256), (byte)(host % 254 + 1)]), DefaultPort));
            }
            while (_transports.ContainsKey(address));

            return Attach(address, maxDatagramSize);
        }
    }

    /// <summary>Opens a transport at <paramref name="endPoint"/>, which no open transport on this network may hold.</summary>
    /// <param name="endPoint">The made-up address; any IPv4 or IPv6 address and a port other than 0.</param>
    /// <param name="maxDatagramSize">The largest datagram it sends (1152 unless set).</param>
    /// <exception cref="InvalidOperationException">The address is taken.</exception>
    public VirtualCoapTransport CreateTransport(IPEndPoint endPoint, int maxDatagramSize = 1152)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        ArgumentOutOfRangeException.ThrowIfZero(endPoint.Port);
        lock (_gate)
        {
            var address = new CoapPeer(endPoint);
            if (_transports.ContainsKey(address))
            {
                throw new InvalidOperationException($"{endPoint} is already in use on this virtual network; dispose that transport first or pick another address.");
            }

            return Attach(address, maxDatagramSize);
        }
    }

    /// <summary>Sets the conditions of the link from <paramref name="from"/> to <paramref name="to"/> (one direction).</summary>
    public void SetLinkConditions(CoapPeer from, CoapPeer to, VirtualLinkConditions conditions)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        conditions.Validate();
        lock (_gate)
        {
            _links[(from, to)] = conditions;
        }
    }

    /// <summary>Sets the conditions of the links between <paramref name="a"/> and <paramref name="b"/> in both directions.</summary>
    public void SetLinkConditionsBothWays(CoapPeer a, CoapPeer b, VirtualLinkConditions conditions)
    {
        SetLinkConditions(a, b, conditions);
        SetLinkConditions(b, a, conditions);
    }

    /// <summary>Makes the link from <paramref name="from"/> to <paramref name="to"/> follow <see cref="DefaultConditions"/> again.</summary>
    public void ClearLinkConditions(CoapPeer from, CoapPeer to)
    {
        lock (_gate)
        {
            _links.Remove((from, to));
        }
    }

    /// <summary>Drops every datagram between <paramref name="a"/> and <paramref name="b"/>, both ways, until <see cref="Heal"/>.</summary>
    /// <remarks>Datagrams already in flight when the partition starts are dropped on arrival too.</remarks>
    public void Partition(CoapPeer a, CoapPeer b)
    {
        lock (_gate)
        {
            _partitions.Add(Unordered(a, b));
        }
    }

    /// <summary>Ends a partition between <paramref name="a"/> and <paramref name="b"/>.</summary>
    public void Heal(CoapPeer a, CoapPeer b)
    {
        lock (_gate)
        {
            _partitions.Remove(Unordered(a, b));
        }
    }

    /// <summary>Ends every partition.</summary>
    public void HealAll()
    {
        lock (_gate)
        {
            _partitions.Clear();
        }
    }

    /// <summary>Forgets the recorded datagrams.</summary>
    public void ClearCapture()
    {
        lock (_gate)
        {
            _capture.Clear();
        }
    }

    /// <summary>Closes every transport and drops every datagram in flight.</summary>
    public async ValueTask DisposeAsync()
    {
        VirtualCoapTransport[] transports;
        PendingDelivery[] pending;
        lock (_gate)
        {
            _disposed = true;
            transports = [.. _transports.Values];
            pending = [.. _inFlight];
            _inFlight.Clear();
        }

        foreach (PendingDelivery delivery in pending)
        {
            delivery.Timer?.Dispose();
        }

        foreach (VirtualCoapTransport transport in transports)
        {
            await transport.DisposeAsync().ConfigureAwait(false);
        }
    }

    private VirtualCoapTransport Attach(CoapPeer address, int maxDatagramSize)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var transport = new VirtualCoapTransport(this, address, maxDatagramSize, ReceiveQueueCapacity);
        _transports.Add(address, transport);
        return transport;
    }

    internal void Detach(VirtualCoapTransport transport)
    {
        lock (_gate)
        {
            if (_transports.TryGetValue(transport.LocalEndPoint, out VirtualCoapTransport? current) && current == transport)
            {
                _transports.Remove(transport.LocalEndPoint);
            }

            NoteActivity();
        }
    }

    private static (CoapPeer, CoapPeer) Unordered(CoapPeer a, CoapPeer b) =>
        string.CompareOrdinal(a.ToString(), b.ToString()) <= 0 ? (a, b) : (b, a);
}

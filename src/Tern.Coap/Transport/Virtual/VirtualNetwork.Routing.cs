namespace Tern.Coap.Transport.Virtual;

public sealed partial class VirtualNetwork
{
    internal Lock Gate => _gate;

    /// <summary>Decides the fate of one datagram and schedules its copies. Called by a transport's send.</summary>
    internal void Route(CoapPeer from, CoapPeer to, ReadOnlySpan<byte> datagram)
    {
        byte[] bytes = datagram.ToArray();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            NoteActivity();
            VirtualLinkConditions conditions = _links.GetValueOrDefault((from, to)) ?? _defaults;

            // Draw the same four numbers for every datagram, so changing one knob does not shift the others' dice.
            double lossRoll = _random.NextDouble();
            double duplicateRoll = _random.NextDouble();
            double firstJitter = _random.NextDouble();
            double secondJitter = _random.NextDouble();

            DateTimeOffset now = TimeProvider.GetUtcNow();
            VirtualDatagram original = Record(now, from, to, bytes, isDuplicate: false);
            if (!_transports.ContainsKey(to))
            {
                original.Fate = VirtualDatagramFate.Unreachable;
                return;
            }

            if (_partitions.Contains(Unordered(from, to)))
            {
                original.Fate = VirtualDatagramFate.Partitioned;
                return;
            }

            if (lossRoll < conditions.LossProbability)
            {
                original.Fate = VirtualDatagramFate.Lost;
                return;
            }

            Schedule(original, Delay(conditions, firstJitter));
            if (duplicateRoll < conditions.DuplicationProbability)
            {
                VirtualDatagram copy = Record(now, from, to, bytes, isDuplicate: true);
                Schedule(copy, Delay(conditions, secondJitter));
            }
        }
    }

    private static TimeSpan Delay(VirtualLinkConditions conditions, double roll) =>
        conditions.Latency + TimeSpan.FromTicks((long)(conditions.ReorderJitter.Ticks * roll));

    private VirtualDatagram Record(DateTimeOffset now, CoapPeer from, CoapPeer to, byte[] bytes, bool isDuplicate)
    {
        var datagram = new VirtualDatagram(++_sequence, now, from, to, bytes, isDuplicate);
        if (CaptureCapacity > 0)
        {
            if (_capture.Count >= CaptureCapacity)
            {
                _capture.Dequeue();
            }

            _capture.Enqueue(datagram);
        }

        return datagram;
    }

    private void Schedule(VirtualDatagram datagram, TimeSpan delay)
    {
        datagram.DeliverAt = TimeProvider.GetUtcNow() + delay;
        if (delay == TimeSpan.Zero)
        {
            Deliver(datagram);
            return;
        }

        datagram.Fate = VirtualDatagramFate.InFlight;
        var pending = new PendingDelivery(this, datagram);
        _inFlight.Add(pending);

        // The set above keeps the timer reachable: System.Threading timers that nobody references are collected.
        pending.Timer = TimeProvider.CreateTimer(
            static state => ((PendingDelivery)state!).Network.Arrive((PendingDelivery)state!),
            pending,
            delay,
            Timeout.InfiniteTimeSpan);
    }

    private void Arrive(PendingDelivery pending)
    {
        lock (_gate)
        {
            if (!_inFlight.Remove(pending))
            {
                return;
            }

            pending.Timer?.Dispose();
            NoteActivity();
            Deliver(pending.Datagram);
        }
    }

    private void Deliver(VirtualDatagram datagram)
    {
        if (_partitions.Contains(Unordered(datagram.From, datagram.To)))
        {
            datagram.Fate = VirtualDatagramFate.Partitioned;
            return;
        }

        datagram.Fate = _transports.TryGetValue(datagram.To, out VirtualCoapTransport? target)
            ? target.Enqueue(datagram)
            : VirtualDatagramFate.Unreachable;
        if (datagram.Fate == VirtualDatagramFate.Delivered)
        {
            datagram.DeliverAt = TimeProvider.GetUtcNow();
        }
    }

    private sealed class PendingDelivery(VirtualNetwork network, VirtualDatagram datagram)
    {
        public VirtualNetwork Network { get; } = network;

        public VirtualDatagram Datagram { get; } = datagram;

        public ITimer? Timer { get; set; }
    }
}

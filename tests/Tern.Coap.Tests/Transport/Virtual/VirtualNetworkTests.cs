using System.Net;
using Tern.Coap.Timing;
using Tern.Coap.Transport;
using Tern.Coap.Transport.Virtual;

namespace Tern.Coap.Tests.Transport.Virtual;

public class VirtualNetworkTests
{
    private readonly VirtualTimeProvider _clock = new();

    [Fact]
    public async Task Datagram_on_a_perfect_link_is_queued_at_once_with_its_sender()
    {
        await using var network = new VirtualNetwork(_clock);
        VirtualCoapTransport a = network.CreateTransport();
        VirtualCoapTransport b = network.CreateTransport();

        await a.SendAsync(b.LocalEndPoint, new byte[] { 0x40, 0x01, 0, 7 });
        var buffer = new byte[64];
        ValueTask<CoapDatagram> receive = b.ReceiveAsync(buffer);

        Assert.True(receive.IsCompleted);
        CoapDatagram received = await receive;
        Assert.Equal(a.LocalEndPoint, received.Peer);
        Assert.Equal(new byte[] { 0x40, 0x01, 0, 7 }, buffer[..received.Length]);
        VirtualDatagram captured = Assert.Single(network.Capture);
        Assert.Equal((a.LocalEndPoint, b.LocalEndPoint, VirtualDatagramFate.Delivered), (captured.From, captured.To, captured.Fate));
    }

    [Fact]
    public async Task Transports_get_distinct_made_up_addresses_on_the_CoAP_port()
    {
        await using var network = new VirtualNetwork(_clock);
        CoapPeer[] addresses = [.. Enumerable.Range(0, 300).Select(_ => network.CreateTransport().LocalEndPoint)];

        Assert.Equal(300, addresses.Distinct().Count());
        Assert.All(addresses, a => Assert.Equal(5683, a.EndPoint.Port));
        Assert.Equal(IPAddress.Parse("10.0.0.1"), addresses[0].EndPoint.Address);
    }

    [Fact]
    public async Task Chosen_address_that_is_taken_is_refused()
    {
        await using var network = new VirtualNetwork(_clock);
        var address = new IPEndPoint(IPAddress.Parse("192.0.2.1"), 5683);
        network.CreateTransport(address);

        Assert.Throws<InvalidOperationException>(() => network.CreateTransport(address));
    }

    [Fact]
    public async Task Loss_rate_over_ten_thousand_datagrams_stays_near_the_configured_probability()
    {
        await using var network = new VirtualNetwork(_clock, seed: 42) { ReceiveQueueCapacity = 20_000 };
        network.DefaultConditions = new VirtualLinkConditions { LossProbability = 0.25 };
        VirtualCoapTransport a = network.CreateTransport();
        VirtualCoapTransport b = network.CreateTransport();

        for (int i = 0; i < 10_000; i++)
        {
            await a.SendAsync(b.LocalEndPoint, new byte[] { 1 });
        }

        int lost = network.Capture.Count(d => d.Fate == VirtualDatagramFate.Lost);
        // Binomial(10 000, 0.25) has a standard deviation of about 43; 250 is almost six of them.
        Assert.InRange(lost, 2_250, 2_750);
        Assert.Equal(10_000 - lost, b.QueuedCount);
    }

    [Fact]
    public async Task Same_seed_gives_the_same_fates_and_another_seed_does_not()
    {
        VirtualDatagramFate[] first = await FatesAsync(seed: 7);
        VirtualDatagramFate[] again = await FatesAsync(seed: 7);
        VirtualDatagramFate[] other = await FatesAsync(seed: 8);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);

        static async Task<VirtualDatagramFate[]> FatesAsync(int seed)
        {
            await using var network = new VirtualNetwork(new VirtualTimeProvider(), seed);
            network.DefaultConditions = new VirtualLinkConditions { LossProbability = 0.5 };
            VirtualCoapTransport a = network.CreateTransport();
            VirtualCoapTransport b = network.CreateTransport();
            for (int i = 0; i < 200; i++)
            {
                await a.SendAsync(b.LocalEndPoint, new byte[] { 1 });
            }

            return [.. network.Capture.Select(d => d.Fate)];
        }
    }

    [Fact]
    public async Task Certain_duplication_delivers_every_datagram_twice()
    {
        await using var network = new VirtualNetwork(_clock);
        network.DefaultConditions = new VirtualLinkConditions { DuplicationProbability = 1 };
        VirtualCoapTransport a = network.CreateTransport();
        VirtualCoapTransport b = network.CreateTransport();

        await a.SendAsync(b.LocalEndPoint, new byte[] { 1 });
        await a.SendAsync(b.LocalEndPoint, new byte[] { 2 });

        Assert.Equal(new byte[] { 1, 1, 2, 2 }, await ReceiveFirstBytesAsync(b, 4));
        Assert.Equal(2, network.Capture.Count(d => d.IsDuplicate));
    }

    [Fact]
    public async Task Duplication_rate_stays_near_the_configured_probability()
    {
        await using var network = new VirtualNetwork(_clock, seed: 3) { ReceiveQueueCapacity = 10_000 };
        network.DefaultConditions = new VirtualLinkConditions { DuplicationProbability = 0.1 };
        VirtualCoapTransport a = network.CreateTransport();
        VirtualCoapTransport b = network.CreateTransport();

        for (int i = 0; i < 4_000; i++)
        {
            await a.SendAsync(b.LocalEndPoint, new byte[] { 1 });
        }

        // Binomial(4 000, 0.1): standard deviation 19.
        Assert.InRange(b.QueuedCount - 4_000, 300, 500);
    }

    [Fact]
    public async Task Datagram_arrives_only_when_the_virtual_clock_reaches_its_latency()
    {
        await using var network = new VirtualNetwork(_clock);
        VirtualCoapTransport a = network.CreateTransport();
        VirtualCoapTransport b = network.CreateTransport();
        network.SetLinkConditions(a.LocalEndPoint, b.LocalEndPoint, new VirtualLinkConditions { Latency = TimeSpan.FromMilliseconds(200) });
        DateTimeOffset sent = _clock.GetUtcNow();

        await a.SendAsync(b.LocalEndPoint, new byte[] { 5 });
        ValueTask<CoapDatagram> receive = b.ReceiveAsync(new byte[8]);
        _clock.Advance(TimeSpan.FromMilliseconds(199));
        Assert.False(receive.IsCompleted);
        Assert.Equal(1, network.InFlightCount);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        CoapDatagram received = await receive.AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(a.LocalEndPoint, received.Peer);
        Assert.Equal(sent + TimeSpan.FromMilliseconds(200), Assert.Single(network.Capture).DeliverAt);
    }

    [Fact]
    public async Task Link_conditions_apply_in_one_direction_only_unless_set_both_ways()
    {
        await using var network = new VirtualNetwork(_clock);
        VirtualCoapTransport a = network.CreateTransport();
        VirtualCoapTransport b = network.CreateTransport();
        network.SetLinkConditions(a.LocalEndPoint, b.LocalEndPoint, new VirtualLinkConditions { LossProbability = 1 });

        await a.SendAsync(b.LocalEndPoint, new byte[] { 1 });
        await b.SendAsync(a.LocalEndPoint, new byte[] { 2 });

        Assert.Equal(
            new[] { VirtualDatagramFate.Lost, VirtualDatagramFate.Delivered },
            network.Capture.Select(d => d.Fate).ToArray());
    }

    [Fact]
    public async Task Jitter_reorders_datagrams_sent_together_but_delivers_them_all()
    {
        await using var network = new VirtualNetwork(_clock, seed: 11);
        network.DefaultConditions = new VirtualLinkConditions { ReorderJitter = TimeSpan.FromMilliseconds(100) };
        VirtualCoapTransport a = network.CreateTransport();
        VirtualCoapTransport b = network.CreateTransport();

        for (byte i = 0; i < 50; i++)
        {
            await a.SendAsync(b.LocalEndPoint, new[] { i });
        }

        _clock.Advance(TimeSpan.FromMilliseconds(100));
        byte[] order = await ReceiveFirstBytesAsync(b, 50);

        Assert.Equal(Enumerable.Range(0, 50).Select(i => (byte)i), order.Order());
        Assert.NotEqual(Enumerable.Range(0, 50).Select(i => (byte)i), order);
    }

    [Fact]
    public async Task Partition_drops_both_ways_until_healed_and_spares_other_links()
    {
        await using var network = new VirtualNetwork(_clock);
        VirtualCoapTransport a = network.CreateTransport();
        VirtualCoapTransport b = network.CreateTransport();
        VirtualCoapTransport c = network.CreateTransport();

        network.Partition(a.LocalEndPoint, b.LocalEndPoint);
        await a.SendAsync(b.LocalEndPoint, new byte[] { 1 });
        await b.SendAsync(a.LocalEndPoint, new byte[] { 2 });
        await a.SendAsync(c.LocalEndPoint, new byte[] { 3 });
        network.Heal(a.LocalEndPoint, b.LocalEndPoint);
        await a.SendAsync(b.LocalEndPoint, new byte[] { 4 });

        Assert.Equal(
            new[] { VirtualDatagramFate.Partitioned, VirtualDatagramFate.Partitioned, VirtualDatagramFate.Delivered, VirtualDatagramFate.Delivered },
            network.Capture.Select(d => d.Fate).ToArray());
        Assert.Equal(new byte[] { 4 }, await ReceiveFirstBytesAsync(b, 1));
    }

    [Fact]
    public async Task Partition_drops_a_datagram_that_was_already_in_flight()
    {
        await using var network = new VirtualNetwork(_clock);
        network.DefaultConditions = new VirtualLinkConditions { Latency = TimeSpan.FromSeconds(1) };
        VirtualCoapTransport a = network.CreateTransport();
        VirtualCoapTransport b = network.CreateTransport();

        await a.SendAsync(b.LocalEndPoint, new byte[] { 1 });
        network.Partition(b.LocalEndPoint, a.LocalEndPoint);
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(VirtualDatagramFate.Partitioned, Assert.Single(network.Capture).Fate);
        Assert.Equal(0, b.QueuedCount);
    }

    [Fact]
    public async Task Datagram_to_an_address_nobody_holds_is_unreachable()
    {
        await using var network = new VirtualNetwork(_clock);
        VirtualCoapTransport a = network.CreateTransport();
        VirtualCoapTransport b = network.CreateTransport();
        await b.DisposeAsync();

        await a.SendAsync(b.LocalEndPoint, new byte[] { 1 });

        Assert.Equal(VirtualDatagramFate.Unreachable, Assert.Single(network.Capture).Fate);
    }

    [Fact]
    public async Task Full_receive_queue_drops_further_datagrams_as_overflowed()
    {
        await using var network = new VirtualNetwork(_clock) { ReceiveQueueCapacity = 2 };
        VirtualCoapTransport a = network.CreateTransport();
        VirtualCoapTransport b = network.CreateTransport();

        for (int i = 0; i < 3; i++)
        {
            await a.SendAsync(b.LocalEndPoint, new byte[] { 1 });
        }

        Assert.Equal(VirtualDatagramFate.Overflowed, network.Capture[2].Fate);
        Assert.Equal(2, b.QueuedCount);
    }

    [Fact]
    public async Task Datagram_longer_than_the_receive_buffer_is_reported_truncated()
    {
        await using var network = new VirtualNetwork(_clock);
        VirtualCoapTransport a = network.CreateTransport();
        VirtualCoapTransport b = network.CreateTransport();

        await a.SendAsync(b.LocalEndPoint, new byte[] { 1, 2, 3, 4, 5 });
        var buffer = new byte[3];
        CoapDatagram received = await b.ReceiveAsync(buffer);

        Assert.True(received.Truncated);
        Assert.Equal(new byte[] { 1, 2, 3 }, buffer);
    }

    [Fact]
    public async Task Pending_receive_ends_when_cancelled_or_when_the_transport_is_disposed()
    {
        await using var network = new VirtualNetwork(_clock);
        VirtualCoapTransport a = network.CreateTransport();
        using var cts = new CancellationTokenSource();

        ValueTask<CoapDatagram> cancelled = a.ReceiveAsync(new byte[8], cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.AsTask());

        ValueTask<CoapDatagram> disposed = a.ReceiveAsync(new byte[8]);
        await a.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => disposed.AsTask());
    }

    [Fact]
    public void Impossible_link_conditions_are_refused()
    {
        var network = new VirtualNetwork(_clock);

        Assert.Throws<ArgumentOutOfRangeException>(() => network.DefaultConditions = new VirtualLinkConditions { LossProbability = 1.5 });
        Assert.Throws<ArgumentOutOfRangeException>(() => network.DefaultConditions = new VirtualLinkConditions { Latency = TimeSpan.FromSeconds(-1) });
    }

    internal static async Task<byte[]> ReceiveFirstBytesAsync(VirtualCoapTransport transport, int count)
    {
        var result = new byte[count];
        var buffer = new byte[64];
        for (int i = 0; i < count; i++)
        {
            CoapDatagram datagram = await transport.ReceiveAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            result[i] = buffer[0];
        }

        return result;
    }
}

using System.Collections.Concurrent;
using Tern.Coap.Timing;
using Tern.Coap.Transport;
using Tern.Coap.Transport.Virtual;

namespace Tern.Coap.Tests.Transport.Virtual;

public class VirtualNetworkRunningTests
{
    private readonly VirtualTimeProvider _clock = new();

    [Fact]
    public async Task RunUntilIdle_carries_a_request_and_its_echo_across_delayed_links_on_virtual_time()
    {
        await using var network = new VirtualNetwork(_clock);
        network.DefaultConditions = new VirtualLinkConditions { Latency = TimeSpan.FromMilliseconds(50) };
        await using var pair = new EchoPair(network, _clock);
        DateTimeOffset start = _clock.GetUtcNow();

        for (byte i = 1; i <= 3; i++)
        {
            await pair.Client.SendAsync(pair.Server.LocalEndPoint, new[] { i });
        }

        Assert.True(await network.RunUntilIdleAsync());

        Assert.Equal(new byte[] { 1, 2, 3 }, pair.Replies.Select(r => r.Value).ToArray());
        Assert.All(pair.Replies, r => Assert.Equal(start + TimeSpan.FromMilliseconds(100), r.At));
        Assert.Equal(start + TimeSpan.FromMilliseconds(100), _clock.GetUtcNow());
    }

    [Fact]
    public async Task RunFor_lets_a_sender_retransmit_on_a_lossy_link_until_an_answer_arrives()
    {
        await using var network = new VirtualNetwork(_clock, seed: 5);
        network.DefaultConditions = new VirtualLinkConditions { LossProbability = 0.6, Latency = TimeSpan.FromMilliseconds(10) };
        await using var pair = new EchoPair(network, _clock);
        DateTimeOffset start = _clock.GetUtcNow();

        // The test is the sender: it repeats its request every 2 s of virtual time until it hears back.
        int attempts = 0;
        while (pair.Replies.IsEmpty && attempts < 50)
        {
            attempts++;
            await pair.Client.SendAsync(pair.Server.LocalEndPoint, new byte[] { 9 });
            await network.RunForAsync(TimeSpan.FromSeconds(2));
        }

        Assert.False(pair.Replies.IsEmpty);
        Assert.True(attempts > 1, "seed 5 loses the first exchange; the test relies on a retransmission");
        Assert.Equal(start + TimeSpan.FromSeconds(2 * attempts), _clock.GetUtcNow());
        Assert.Equal(start + TimeSpan.FromSeconds(2 * (attempts - 1)) + TimeSpan.FromMilliseconds(20), pair.Replies.Single().At);
        Assert.Equal(attempts, network.Capture.Count(d => d.From == pair.Client.LocalEndPoint));
    }

    [Fact]
    public async Task Same_seed_replays_the_same_exchange_datagram_for_datagram()
    {
        string first = await RunScenarioAsync(seed: 21);
        string again = await RunScenarioAsync(seed: 21);

        Assert.Equal(first, again);

        static async Task<string> RunScenarioAsync(int seed)
        {
            var clock = new VirtualTimeProvider();
            await using var network = new VirtualNetwork(clock, seed);
            network.DefaultConditions = new VirtualLinkConditions
            {
                LossProbability = 0.2, DuplicationProbability = 0.2, ReorderJitter = TimeSpan.FromMilliseconds(30), Latency = TimeSpan.FromMilliseconds(5),
            };
            await using (var pair = new EchoPair(network, clock))
            {
                for (byte i = 0; i < 20; i++)
                {
                    await pair.Client.SendAsync(pair.Server.LocalEndPoint, new[] { i });
                    await network.RunForAsync(TimeSpan.FromMilliseconds(7));
                }

                await network.RunUntilIdleAsync();
            }

            return string.Join('\n', network.Capture.Select(d => $"{d} {d.DeliverAt:HH:mm:ss.fff} {d.Bytes.Span[0]}"));
        }
    }

    [Fact]
    public async Task RunFor_moves_the_clock_by_exactly_the_duration_and_fires_timers_on_the_way()
    {
        await using var network = new VirtualNetwork(_clock);
        DateTimeOffset start = _clock.GetUtcNow();
        Task delay = Task.Delay(TimeSpan.FromSeconds(3), _clock);

        await network.RunForAsync(TimeSpan.FromSeconds(2));
        Assert.False(delay.IsCompleted);
        await network.RunForAsync(TimeSpan.FromSeconds(2));

        Assert.True(delay.IsCompleted);
        Assert.Equal(start + TimeSpan.FromSeconds(4), _clock.GetUtcNow());
    }

    [Fact]
    public async Task Settling_fails_with_a_timeout_naming_a_reader_that_never_comes_back()
    {
        await using var network = new VirtualNetwork(_clock) { SettleTimeout = TimeSpan.FromMilliseconds(200) };
        VirtualCoapTransport a = network.CreateTransport();
        VirtualCoapTransport b = network.CreateTransport();
        await a.SendAsync(b.LocalEndPoint, new byte[] { 1 });
        await b.ReceiveAsync(new byte[8]);

        // b took a datagram and never asked for the next one.
        TimeoutException e = await Assert.ThrowsAsync<TimeoutException>(() => network.SettleAsync());

        Assert.Contains(b.LocalEndPoint.ToString(), e.Message);
    }

    [Fact]
    public async Task Settling_waits_for_datagrams_queued_before_the_reader_started_when_asked_to()
    {
        await using var network = new VirtualNetwork(_clock) { WaitForReadersToStart = true };
        VirtualCoapTransport a = network.CreateTransport();
        VirtualCoapTransport b = network.CreateTransport();
        await a.SendAsync(b.LocalEndPoint, new byte[] { 1 });

        Task settle = network.SettleAsync();
        Assert.False(settle.IsCompleted);
        await b.ReceiveAsync(new byte[8]);
        Assert.False(settle.IsCompleted);
        ValueTask<CoapDatagram> next = b.ReceiveAsync(new byte[8]);

        await settle.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(next.IsCompleted);
    }

    [Fact]
    public async Task Running_the_clock_needs_a_virtual_time_provider()
    {
        await using var network = new VirtualNetwork(TimeProvider.System);

        await Assert.ThrowsAsync<InvalidOperationException>(() => network.RunUntilIdleAsync());
    }

    [Fact]
    public async Task On_the_system_clock_a_delayed_datagram_still_arrives()
    {
        await using var network = new VirtualNetwork(TimeProvider.System);
        network.DefaultConditions = new VirtualLinkConditions { Latency = TimeSpan.FromMilliseconds(1) };
        VirtualCoapTransport a = network.CreateTransport();
        VirtualCoapTransport b = network.CreateTransport();

        await a.SendAsync(b.LocalEndPoint, new byte[] { 3 });
        CoapDatagram received = await b.ReceiveAsync(new byte[8]).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(a.LocalEndPoint, received.Peer);
    }

    /// <summary>
    /// A server transport echoing every datagram and a client transport queueing each echo with its arrival time.
    /// Disposing stops both loops and waits for them to end (before the network itself goes).
    /// </summary>
    private sealed class EchoPair : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _echo;
        private readonly Task _collect;

        public EchoPair(VirtualNetwork network, VirtualTimeProvider clock)
        {
            Server = network.CreateTransport();
            Client = network.CreateTransport();
            _echo = EchoLoopAsync(Server, _stop.Token);
            _collect = CollectLoopAsync(Client, Replies, clock, _stop.Token);
        }

        public VirtualCoapTransport Server { get; }

        public VirtualCoapTransport Client { get; }

        public ConcurrentQueue<(byte Value, DateTimeOffset At)> Replies { get; } = new();

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_echo, _collect).WaitAsync(TimeSpan.FromSeconds(10));
            _stop.Dispose();
        }
    }

    private static async Task EchoLoopAsync(VirtualCoapTransport transport, CancellationToken cancellationToken)
    {
        var buffer = new byte[transport.MaxDatagramSize];
        try
        {
            while (true)
            {
                CoapDatagram datagram = await transport.ReceiveAsync(buffer, cancellationToken);
                await transport.SendAsync(datagram.Peer, buffer.AsMemory(0, datagram.Length), cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task CollectLoopAsync(
        VirtualCoapTransport transport, ConcurrentQueue<(byte, DateTimeOffset)> into, TimeProvider clock, CancellationToken cancellationToken)
    {
        var buffer = new byte[transport.MaxDatagramSize];
        try
        {
            while (true)
            {
                await transport.ReceiveAsync(buffer, cancellationToken);
                into.Enqueue((buffer[0], clock.GetUtcNow()));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}

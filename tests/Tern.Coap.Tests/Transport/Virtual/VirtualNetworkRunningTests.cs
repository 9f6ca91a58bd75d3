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
        VirtualCoapTransport server = network.CreateTransport();
        VirtualCoapTransport client = network.CreateTransport();
        using var stop = new CancellationTokenSource();
        Task echo = EchoLoopAsync(server, stop.Token);
        var replies = new ConcurrentQueue<(byte Value, DateTimeOffset At)>();
        Task collect = CollectLoopAsync(client, replies, _clock, stop.Token);
        DateTimeOffset start = _clock.GetUtcNow();

        for (byte i = 1; i <= 3; i++)
        {
            await client.SendAsync(server.LocalEndPoint, new[] { i });
        }

        Assert.True(await network.RunUntilIdleAsync());

        Assert.Equal(new byte[] { 1, 2, 3 }, replies.Select(r => r.Value).ToArray());
        Assert.All(replies, r => Assert.Equal(start + TimeSpan.FromMilliseconds(100), r.At));
        Assert.Equal(start + TimeSpan.FromMilliseconds(100), _clock.GetUtcNow());
        await stop.CancelAsync();
        await Task.WhenAll(echo, collect).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task RunUntil_drives_retransmissions_on_a_lossy_link_until_an_answer_arrives()
    {
        await using var network = new VirtualNetwork(_clock, seed: 5);
        network.DefaultConditions = new VirtualLinkConditions { LossProbability = 0.6, Latency = TimeSpan.FromMilliseconds(10) };
        VirtualCoapTransport server = network.CreateTransport();
        VirtualCoapTransport client = network.CreateTransport();
        using var stop = new CancellationTokenSource();
        Task echo = EchoLoopAsync(server, stop.Token);
        var replies = new ConcurrentQueue<(byte Value, DateTimeOffset At)>();
        Task collect = CollectLoopAsync(client, replies, _clock, stop.Token);

        // A toy sender that repeats its request every 2 s on the virtual clock until it hears back.
        Task sender = Task.Run(async () =>
        {
            while (replies.IsEmpty && !stop.IsCancellationRequested)
            {
                await client.SendAsync(server.LocalEndPoint, new byte[] { 9 });
                await Task.Delay(TimeSpan.FromSeconds(2), _clock, stop.Token);
            }
        });

        bool answered = await network.RunUntilAsync(() => !replies.IsEmpty, TimeSpan.FromMinutes(5));

        Assert.True(answered);
        Assert.Contains(network.Capture, d => d.Fate == VirtualDatagramFate.Lost);
        int requests = network.Capture.Count(d => d.From == client.LocalEndPoint);
        Assert.True(requests > 1, $"expected retransmissions, saw {requests} request(s)");
        await stop.CancelAsync();
        await Task.WhenAll(echo, collect, sender.ContinueWith(_ => { }, TaskScheduler.Default)).WaitAsync(TimeSpan.FromSeconds(10));
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
            VirtualCoapTransport server = network.CreateTransport();
            VirtualCoapTransport client = network.CreateTransport();
            using var stop = new CancellationTokenSource();
            Task echo = EchoLoopAsync(server, stop.Token);
            for (byte i = 0; i < 20; i++)
            {
                await client.SendAsync(server.LocalEndPoint, new[] { i });
                await network.RunForAsync(TimeSpan.FromMilliseconds(7));
            }

            await network.RunUntilIdleAsync();
            await stop.CancelAsync();
            await echo.WaitAsync(TimeSpan.FromSeconds(10));
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

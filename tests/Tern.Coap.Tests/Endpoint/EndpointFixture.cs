using Tern.Coap.Endpoint;
using Tern.Coap.Engine;
using Tern.Coap.Messages;
using Tern.Coap.Timing;
using Tern.Coap.Transport.Virtual;

namespace Tern.Coap.Tests.Endpoint;

/// <summary>
/// Two endpoints (client, server) on a virtual network and a virtual clock. Work is driven with the network's
/// settle/run helpers: the clock only moves timer by timer, and no test sleeps.
/// </summary>
internal sealed class EndpointFixture : IAsyncDisposable
{
    private EndpointFixture(VirtualTimeProvider clock, VirtualNetwork network)
    {
        Clock = clock;
        Network = network;
    }

    public VirtualTimeProvider Clock { get; }

    public VirtualNetwork Network { get; }

    public CoapEndpoint Client { get; private set; } = null!;

    public CoapEndpoint Server { get; private set; } = null!;

    public static async Task<EndpointFixture> StartAsync(ICoapRequestHandler? handler, int seed = 1, CoapEngineOptions? engine = null, VirtualLinkConditions? conditions = null, bool inlineHandlers = false)
    {
        var clock = new VirtualTimeProvider();
        var network = new VirtualNetwork(clock, seed) { WaitForReadersToStart = true };
        if (conditions is not null)
        {
            network.DefaultConditions = conditions;
        }

        var fixture = new EndpointFixture(clock, network);
        engine ??= CoapEngineOptions.Default;
        fixture.Server = await CoapEndpoint.StartAsync(network.CreateTransport(), new CoapEndpointOptions { Handler = handler, Engine = engine, Random = new Random(seed), RunHandlersInline = inlineHandlers }, clock);
        fixture.Client = await CoapEndpoint.StartAsync(network.CreateTransport(), new CoapEndpointOptions { Engine = engine, Random = new Random(seed + 1) }, clock);
        return fixture;
    }

    /// <summary>Runs the network (moving virtual time as timers fall due) until <paramref name="task"/> finishes, then returns it.</summary>
    public async Task<T> RunAsync<T>(Task<T> task, TimeSpan? limit = null)
    {
        await RunAsync((Task)task, limit);
        return await task;
    }

    public async Task RunAsync(Task task, TimeSpan? limit = null)
    {
        bool ran = await RunUntilAsync(() => task.IsCompleted, limit ?? TimeSpan.FromMinutes(10));
        if (!ran && Clock.NextTimerDue is null)
        {
            // No timer can change anything any more; the task only waits for continuations already released.
            // The real-time bound is a safety net against a hang, not a pace: it returns as soon as the task ends.
            await task.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        Assert.True(task.IsCompleted, "the operation did not finish within the virtual time limit");
    }

    /// <summary>
    /// Settles (network and both endpoints' handlers, sends and callbacks), then moves the clock to the next due
    /// timer, until <paramref name="condition"/> holds or the next timer lies beyond <paramref name="limit"/>.
    /// </summary>
    public async Task<bool> RunUntilAsync(Func<bool> condition, TimeSpan limit)
    {
        DateTimeOffset end = Clock.GetUtcNow() + limit;
        while (true)
        {
            await SettleAsync();
            if (condition())
            {
                return true;
            }

            if (Clock.NextTimerDue is not { } due || due > end)
            {
                // Nothing left to fire: give continuations that were already released a last chance to run.
                for (int turn = 0; turn < 100_000 && !condition(); turn++)
                {
                    await Task.Yield();
                }

                return condition();
            }

            Clock.AdvanceTo(due);
        }
    }

    /// <summary>Moves the clock forward by exactly <paramref name="duration"/>, timer by timer, settling at every step.</summary>
    public async Task RunForAsync(TimeSpan duration)
    {
        DateTimeOffset end = Clock.GetUtcNow() + duration;
        await SettleAsync();
        while (Clock.NextTimerDue is { } due && due <= end)
        {
            Clock.AdvanceTo(due);
            await SettleAsync();
        }

        Clock.AdvanceTo(end);
        await SettleAsync();
    }

    /// <summary>Lets queued work finish without moving the clock: the network's readers and the endpoints' own work.</summary>
    public async Task SettleAsync()
    {
        int quiet = 0;
        for (int turn = 0; turn < 100_000 && quiet < 3; turn++)
        {
            await Network.SettleAsync();
            if (Client.IsIdle && Server.IsIdle)
            {
                quiet++;
            }
            else
            {
                quiet = 0;
                await Task.Yield();
            }
        }
    }

    public static CoapMessage Get(string path, CoapMessageType type = CoapMessageType.Confirmable) =>
        new CoapMessage { Type = type, Code = CoapCode.Get }.SetUriPath(path);

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
        await Network.DisposeAsync();
    }
}

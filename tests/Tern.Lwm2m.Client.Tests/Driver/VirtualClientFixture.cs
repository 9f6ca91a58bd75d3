using Tern.Coap.Endpoint;
using Tern.Coap.Timing;
using Tern.Coap.Transport.Virtual;
using Tern.Lwm2m.Client.Engine;

namespace Tern.Lwm2m.Client.Tests.Driver;

/// <summary>
/// What every fixture of a Tern client and its servers on one virtual network and clock shares: the client and its
/// endpoint, the client's events drained after each settling, running the clock until a condition or a task, and the
/// order things are disposed in (idle checks, client, endpoint, the fixture's servers, network).
/// </summary>
internal abstract class VirtualClientFixture : IAsyncDisposable
{
    private readonly List<IDisposable> _checks = [];

    protected VirtualClientFixture(VirtualTimeProvider clock, VirtualNetwork network)
    {
        Clock = clock;
        Network = network;
    }

    public VirtualTimeProvider Clock { get; }

    public VirtualNetwork Network { get; }

    public CoapEndpoint ClientEndpoint { get; protected set; } = null!;

    public Lwm2mClient Client { get; protected set; } = null!;

    /// <summary>The client's events, in order, as far as <see cref="Drain"/> has read them.</summary>
    public List<Lwm2mClientEvent> Events { get; } = [];

    /// <summary>The fixture's servers, disposed after the client and before the network.</summary>
    protected abstract IEnumerable<IAsyncDisposable> Servers { get; }

    /// <summary>Runs until <paramref name="condition"/> holds or no timer falls due before <paramref name="limit"/>.</summary>
    public Task<bool> RunUntilAsync(Func<bool> condition, TimeSpan limit) => VirtualRun.UntilAsync(Network, Clock, condition, limit, Drain);

    /// <summary>Runs the network, moving virtual time timer by timer, until <paramref name="task"/> ends (failing the test otherwise).</summary>
    public async Task<T> RunAsync<T>(Task<T> task, TimeSpan? limit = null)
    {
        if (!await RunUntilAsync(() => task.IsCompleted, limit ?? TimeSpan.FromSeconds(50)))
        {
            // Continuations already released (server and client hop through the thread pool) may still be on their
            // way; the real-time bound is a safety net against a hang, not a pace: it returns as soon as the task ends.
            await task.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        Assert.True(task.IsCompleted, "the operation did not finish within the virtual time limit");
        return await task;
    }

    /// <summary>Moves the client's pending events into <see cref="Events"/>.</summary>
    public void Drain()
    {
        while (Client.Events.TryRead(out Lwm2mClientEvent? e))
        {
            Events.Add(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _checks.ForEach(c => c.Dispose());
        await Client.DisposeAsync();
        await ClientEndpoint.DisposeAsync();
        foreach (IAsyncDisposable server in Servers)
        {
            await server.DisposeAsync();
        }

        await Network.DisposeAsync();
    }

    /// <summary>Holds the network from settling while <paramref name="isIdle"/> is false, until the fixture is disposed.</summary>
    protected void AddIdleCheck(Func<bool> isIdle) => _checks.Add(Network.AddIdleCheck(isIdle));

    /// <summary>The check every fixture needs: the client and its endpoint have nothing left to do.</summary>
    protected void AddClientIdleCheck() => AddIdleCheck(() => Client.IsIdle && ClientEndpoint.IsIdle);
}

using Tern.Coap.Endpoint;
using Tern.Coap.Timing;
using Tern.Coap.Transport.Virtual;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Server;

namespace Tern.Lwm2m.Client.Tests.Driver;

/// <summary>
/// A Tern <see cref="Lwm2mServer"/> and a Tern <see cref="Lwm2mClient"/> serving a data model, on one virtual network
/// and clock. Operations are driven by running the network until their task ends; no test sleeps.
/// </summary>
internal sealed class ServedClientFixture : IAsyncDisposable
{
    private readonly List<IDisposable> _checks = [];

    private ServedClientFixture(VirtualTimeProvider clock, VirtualNetwork network)
    {
        Clock = clock;
        Network = network;
    }

    public VirtualTimeProvider Clock { get; }

    public VirtualNetwork Network { get; }

    public Lwm2mServer Server { get; private set; } = null!;

    public CoapEndpoint ClientEndpoint { get; private set; } = null!;

    public Lwm2mClient Client { get; private set; } = null!;

    public Lwm2mObjectStore Store { get; } = new();

    public List<Lwm2mClientEvent> Events { get; } = [];

    public static async Task<ServedClientFixture> StartAsync(Action<Lwm2mObjectStore, VirtualTimeProvider> declare, TimeSpan lifetime, int seed = 3)
    {
        var clock = new VirtualTimeProvider();
        var network = new VirtualNetwork(clock, seed) { WaitForReadersToStart = true };
        var f = new ServedClientFixture(clock, network);
        declare(f.Store, clock);
        f.Server = await Lwm2mServer.StartAsync(network.CreateTransport(), new Lwm2mServerOptions { Random = new Random(seed), Coap = new CoapEndpointOptions { Random = new Random(seed + 1) } }, clock);
        f.ClientEndpoint = await CoapEndpoint.StartAsync(network.CreateTransport(), new CoapEndpointOptions { Random = new Random(seed + 2) }, clock);
        var configuration = new Lwm2mClientConfiguration(
            [new Lwm2mSecurityInstance(0, $"coap://{f.Server.LocalEndPoint}", false, Lwm2mSecurityMode.NoSec) { ShortServerId = 101 }],
            [new Lwm2mServerInstance(0, 101, lifetime)]);
        f.Client = new Lwm2mClient(configuration, new Lwm2mClientOptions("node-1"), f.ClientEndpoint, f.Store, clock);

        f._checks.Add(network.AddIdleCheck(() => f.Server.IsIdle));
        f._checks.Add(network.AddIdleCheck(() => f.Client.IsIdle && f.ClientEndpoint.IsIdle));
        return f;
    }

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

    /// <summary>Runs until <paramref name="condition"/> holds or no timer falls due before <paramref name="limit"/>.</summary>
    public Task<bool> RunUntilAsync(Func<bool> condition, TimeSpan limit) => VirtualRun.UntilAsync(Network, Clock, condition, limit, Drain);

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
        await Server.DisposeAsync();
        await Network.DisposeAsync();
    }
}

using System.Collections.Concurrent;
using Tern.Coap.Endpoint;
using Tern.Coap.Timing;
using Tern.Coap.Transport.Virtual;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Server;
using Tern.Lwm2m.Server.Bootstrap;

namespace Tern.Lwm2m.Client.Tests.Driver;

/// <summary>
/// A Tern <see cref="Lwm2mBootstrapServer"/>, a Tern <see cref="Lwm2mServer"/> and a Tern <see cref="Lwm2mClient"/> that
/// starts with only a bootstrap-server account and a store, on one virtual network and clock.
/// </summary>
internal sealed class BootstrappedClientFixture : VirtualClientFixture
{
    private readonly Lwm2mClientOptions _options;
    private int _seed;

    private BootstrappedClientFixture(VirtualTimeProvider clock, VirtualNetwork network, Lwm2mClientOptions options, int seed)
        : base(clock, network)
    {
        _options = options;
        _seed = seed;
    }

    public Lwm2mBootstrapServer BootstrapServer { get; private set; } = null!;

    public Lwm2mServer Server { get; private set; } = null!;

    public Lwm2mObjectStore Store { get; private set; } = null!;

    public ConcurrentQueue<BootstrapSessionEventArgs> Sessions { get; } = new();

    public ConcurrentQueue<string> Registrations { get; } = new();

    public string ServerUri => $"coap://{Server.LocalEndPoint}";

    public static async Task<BootstrappedClientFixture> StartAsync(Lwm2mClientOptions options, int seed = 5)
    {
        var clock = new VirtualTimeProvider();
        var network = new VirtualNetwork(clock, seed) { WaitForReadersToStart = true };
        var f = new BootstrappedClientFixture(clock, network, options, seed);
        f.Server = await Lwm2mServer.StartAsync(network.CreateTransport(), new Lwm2mServerOptions { Random = new Random(seed), Coap = new CoapEndpointOptions { Random = new Random(seed + 1) } }, clock);
        f.BootstrapServer = await Lwm2mBootstrapServer.StartAsync(network.CreateTransport(), new Lwm2mBootstrapServerOptions { Coap = new CoapEndpointOptions { Random = new Random(seed + 2) } }, clock);
        f.Server.Registered += (_, e) => f.Registrations.Enqueue(e.Registration.Endpoint);
        f.BootstrapServer.SessionEnded += (_, e) => f.Sessions.Enqueue(e);

        f.AddIdleCheck(() => f.Server.IsIdle && f.BootstrapServer.IsIdle);
        f.AddClientIdleCheck();
        await f.NewClientAsync();
        return f;
    }

    /// <summary>Replaces the client (endpoint, store and all) by a new one, as a device restart would, keeping the options and state directory.</summary>
    public async Task RestartClientAsync()
    {
        await Client.DisposeAsync();
        await ClientEndpoint.DisposeAsync();
        Drain();
        Events.Clear();
        _seed += 100;
        await NewClientAsync();
    }

    private async Task NewClientAsync()
    {
        ClientEndpoint = await CoapEndpoint.StartAsync(Network.CreateTransport(), new CoapEndpointOptions { Random = new Random(_seed + 3) }, Clock);
        Store = new Lwm2mObjectStore();
        Store.AddObject(0);
        Store.AddObject(1);
        Store.AddObject(3);
        Store.CreateInstance(3, 0);
        var factory = new Lwm2mClientConfiguration([new Lwm2mSecurityInstance(0, $"coap://{BootstrapServer.LocalEndPoint}", true, Lwm2mSecurityMode.NoSec)], []);
        Client = new Lwm2mClient(factory, _options, ClientEndpoint, Store, Clock);
    }

    protected override IEnumerable<IAsyncDisposable> Servers => [BootstrapServer, Server];
}

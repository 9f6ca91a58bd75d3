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
internal sealed class ServedClientFixture : VirtualClientFixture
{
    private ServedClientFixture(VirtualTimeProvider clock, VirtualNetwork network)
        : base(clock, network)
    {
    }

    public Lwm2mServer Server { get; private set; } = null!;

    public Lwm2mObjectStore Store { get; } = new();

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

        f.AddIdleCheck(() => f.Server.IsIdle);
        f.AddClientIdleCheck();
        return f;
    }

    protected override IEnumerable<IAsyncDisposable> Servers => [Server];
}

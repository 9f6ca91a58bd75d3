using Tern.Coap.Endpoint;
using Tern.Coap.Timing;
using Tern.Coap.Transport.Virtual;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Client.DataModel.Objects;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Server;

namespace Tern.Lwm2m.Client.Tests.Driver;

/// <summary>
/// One Tern client serving a data model (a device and two temperature sensors) registered with two Tern servers,
/// A (short server id 101) and B (102), on one virtual network and clock.
/// </summary>
internal sealed class TwoServerFixture : VirtualClientFixture
{
    public const ushort IdA = 101;
    public const ushort IdB = 102;

    private TwoServerFixture(VirtualTimeProvider clock, VirtualNetwork network)
        : base(clock, network)
    {
    }

    public Lwm2mServer ServerA { get; private set; } = null!;

    public Lwm2mServer ServerB { get; private set; } = null!;

    public Lwm2mObjectStore Store { get; } = new();

    public Lwm2mTemperatureSensor SensorA { get; private set; } = null!;

    public Lwm2mTemperatureSensor SensorB { get; private set; } = null!;

    public static async Task<TwoServerFixture> StartAsync(TimeSpan lifetime, string bindingA = "U", Lwm2mClientOptions? options = null, int seed = 5, bool bReadsSensorB = true)
    {
        var clock = new VirtualTimeProvider();
        var network = new VirtualNetwork(clock, seed) { WaitForReadersToStart = true };
        var f = new TwoServerFixture(clock, network);
        _ = new Lwm2mDevice(f.Store, clock) { Manufacturer = "Tern" };
        f.SensorA = new Lwm2mTemperatureSensor(f.Store, 0) { Value = 20.0 };
        f.SensorB = new Lwm2mTemperatureSensor(f.Store, 1) { Value = 30.0 };

        f.ServerA = await StartServerAsync(network, clock, seed);
        f.ServerB = await StartServerAsync(network, clock, seed + 10);
        f.ClientEndpoint = await CoapEndpoint.StartAsync(network.CreateTransport(), new CoapEndpointOptions { Random = new Random(seed + 20) }, clock);
        var configuration = new Lwm2mClientConfiguration(
            [
                new Lwm2mSecurityInstance(0, $"coap://{f.ServerA.LocalEndPoint}", false, Lwm2mSecurityMode.NoSec) { ShortServerId = IdA },
                new Lwm2mSecurityInstance(1, $"coap://{f.ServerB.LocalEndPoint}", false, Lwm2mSecurityMode.NoSec) { ShortServerId = IdB },
            ],
            [new Lwm2mServerInstance(0, IdA, lifetime, bindingA), new Lwm2mServerInstance(1, IdB, lifetime)],
            AccessControls(bReadsSensorB));
        f.Client = new Lwm2mClient(configuration, options ?? new Lwm2mClientOptions("node-1"), f.ClientEndpoint, f.Store, clock);

        f.AddIdleCheck(() => f.ServerA.IsIdle && f.ServerB.IsIdle);
        f.AddClientIdleCheck();
        return f;
    }

    /// <summary>
    /// With two servers access control applies: A owns the device and the sensors; B may read, write and execute them
    /// (sensor B's instance /3303/1 only when <paramref name="bReadsSensorB"/>).
    /// </summary>
    private static IEnumerable<Lwm2mAccessControlInstance> AccessControls(bool bReadsSensorB)
    {
        var rights = Lwm2mAccessRights.Read | Lwm2mAccessRights.Write | Lwm2mAccessRights.Execute;
        (ushort Object, ushort Instance)[] targets = [(3, 0), (3303, 0), (3303, 1)];
        return targets.Select((t, i) => new Lwm2mAccessControlInstance((ushort)i, t.Object, t.Instance, IdA)
        {
            Acl = [new Lwm2mAclEntry(IdB, t is (3303, 1) && !bReadsSensorB ? Lwm2mAccessRights.None : rights)],
        });
    }

    private static ValueTask<Lwm2mServer> StartServerAsync(VirtualNetwork network, VirtualTimeProvider clock, int seed) =>
        Lwm2mServer.StartAsync(network.CreateTransport(), new Lwm2mServerOptions { Random = new Random(seed), Coap = new CoapEndpointOptions { Random = new Random(seed + 1) } }, clock);

    /// <summary>Starts the client and runs until it is registered with both servers.</summary>
    public async Task RegisterAsync()
    {
        await Client.StartAsync();
        Assert.True(await RunUntilAsync(
            () => Client.GetServerState(IdA) == Lwm2mClientState.RegistrationSession && Client.GetServerState(IdB) == Lwm2mClientState.RegistrationSession,
            TimeSpan.FromMinutes(1)));
    }

    /// <summary>Runs for <paramref name="span"/> of virtual time.</summary>
    public async Task RunForAsync(TimeSpan span)
    {
        DateTimeOffset end = Clock.GetUtcNow() + span;
        await RunUntilAsync(() => false, span);
        if (Clock.GetUtcNow() < end)
        {
            Clock.AdvanceTo(end);
        }

        await Network.SettleAsync();
        Drain();
    }

    protected override IEnumerable<IAsyncDisposable> Servers => [ServerA, ServerB];
}

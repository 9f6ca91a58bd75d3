using Tern.Coap.Endpoint;
using Tern.Coap.Engine;
using Tern.Coap.Timing;
using Tern.Coap.Transport.Virtual;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Client.Firmware;
using Tern.Lwm2m.Client.Tests.Driver;
using Tern.Lwm2m.Server;

namespace Tern.Lwm2m.Client.Tests.Firmware;

/// <summary>
/// A Tern server and a registered Tern client serving object 5 on one virtual network, the client's endpoint set up as
/// an application streaming pushes would set it up (or not, to compare): a small <see cref="CoapEngineOptions.MaxBodySize"/>
/// and, when asked, <see cref="Lwm2mFirmwareObject.IsPackageBlock"/> as its Block1 pass-through filter.
/// </summary>
internal sealed class StreamedPushRig : IAsyncDisposable
{
    private readonly List<IDisposable> _checks = [];

    private StreamedPushRig(VirtualTimeProvider clock, VirtualNetwork network, FirmwareUpdate firmware)
    {
        Clock = clock;
        Network = network;
        Firmware = firmware;
    }

    public VirtualTimeProvider Clock { get; }

    public VirtualNetwork Network { get; }

    public FirmwareUpdate Firmware { get; }

    public Lwm2mServer Server { get; private set; } = null!;

    public CoapEndpoint ClientEndpoint { get; private set; } = null!;

    public Lwm2mClient Client { get; private set; } = null!;

    public static async Task<StreamedPushRig> StartAsync(FirmwareUpdateOptions firmwareOptions, int maxBodySize, bool passThrough, int seed = 5)
    {
        var clock = new VirtualTimeProvider();
        // Readers start on pool threads: a Register that reaches the server before its reader runs is work, not silence.
        var network = new VirtualNetwork(clock, seed) { WaitForReadersToStart = true };
        var store = new Lwm2mObjectStore();
        FirmwareUpdate firmware = FirmwareUpdate.Open(firmwareOptions, clock);
        store.AddFirmwareUpdate(firmware);
        var rig = new StreamedPushRig(clock, network, firmware);
        rig.Server = await Lwm2mServer.StartAsync(network.CreateTransport(), new Lwm2mServerOptions { Random = new Random(seed), Coap = new CoapEndpointOptions { Random = new Random(seed + 1) } }, clock);
        rig.ClientEndpoint = await CoapEndpoint.StartAsync(network.CreateTransport(), new CoapEndpointOptions
        {
            Random = new Random(seed + 2),
            Engine = new CoapEngineOptions { MaxBodySize = maxBodySize, PassBlock1Through = passThrough ? Lwm2mFirmwareObject.IsPackageBlock : null },
        }, clock);
        var configuration = new Lwm2mClientConfiguration(
            [new Lwm2mSecurityInstance(0, $"coap://{rig.Server.LocalEndPoint}", false, Lwm2mSecurityMode.NoSec) { ShortServerId = 101 }],
            [new Lwm2mServerInstance(0, 101, TimeSpan.FromHours(1))]);
        rig.Client = new Lwm2mClient(configuration, new Lwm2mClientOptions("node-1"), rig.ClientEndpoint, store, clock);
        rig._checks.Add(network.AddIdleCheck(() => rig.Server.IsIdle));
        rig._checks.Add(network.AddIdleCheck(() => rig.Client.IsIdle && rig.ClientEndpoint.IsIdle));
        await rig.Client.StartAsync();
        Assert.True(await rig.RunUntilAsync(() => rig.Client.State == Lwm2mClientState.RegistrationSession, TimeSpan.FromSeconds(60)));
        return rig;
    }

    /// <summary>Runs the network until <paramref name="task"/> ends (failing the test otherwise).</summary>
    public async Task<T> RunAsync<T>(Task<T> task, TimeSpan limit)
    {
        Assert.True(await RunUntilAsync(() => task.IsCompleted, limit), "the operation did not finish within the virtual time limit");
        return await task;
    }

    public Task<bool> RunUntilAsync(Func<bool> condition, TimeSpan limit) => VirtualRun.UntilAsync(Network, Clock, condition, limit, () => { });

    public async ValueTask DisposeAsync()
    {
        _checks.ForEach(c => c.Dispose());
        await Client.DisposeAsync();
        await ClientEndpoint.DisposeAsync();
        await Server.DisposeAsync();
        await Firmware.DisposeAsync();
        await Network.DisposeAsync();
    }
}

using System.Collections.Concurrent;
using System.Net;
using Tern.Coap.Endpoint;
using Tern.Coap.Engine;
using Tern.Coap.Timing;
using Tern.Coap.Transport;
using Tern.Coap.Transport.Virtual;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Client.Firmware;
using Tern.Lwm2m.Client.Tests.Driver;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server;
using Tern.Lwm2m.Server.Firmware;

namespace Tern.Lwm2m.Client.Tests.Firmware;

/// <summary>
/// A Tern LwM2M server driving firmware updates (<see cref="Lwm2mServer.Firmware"/>) of a Tern client whose store holds
/// object 5 (<see cref="Lwm2mFirmwareObject.AddFirmwareUpdate"/>) and the Device object's Firmware Version (/3/0/3), on
/// one virtual network and clock. <see cref="RebootAsync"/> simulates the device restarting into the new firmware: the
/// client goes away without de-registering, object 5 is reopened from the same state directory, the application
/// reports the installation's outcome, and a new client registers under the same endpoint name.
/// </summary>
internal sealed class ServerFotaRig : IAsyncDisposable
{
    public const string Endpoint = "fota-1";

    private readonly TempDirectory _dir = new();
    private readonly List<IDisposable> _checks = [];
    private readonly Func<IFirmwareVerifier?> _verifier;
    private readonly Func<IFirmwareInstaller?> _installer;
    private readonly IReadOnlyList<IFirmwareDownloader>? _extraDownloaders;
    private readonly CoapFirmwareDownloader _coap;
    private readonly int _seed;
    private CoapEndpoint? _fetcher;
    private PullClientTransport _fetcherTransport = null!;
    private int _boots;

    private ServerFotaRig(VirtualTimeProvider clock, VirtualNetwork network, Func<IFirmwareVerifier?> verifier, Func<IFirmwareInstaller?> installer, IReadOnlyList<IFirmwareDownloader>? downloaders, int seed)
    {
        _seed = seed;
        Clock = clock;
        Network = network;
        _verifier = verifier;
        _installer = installer;
        _extraDownloaders = downloaders;

        // coap:// pulls go through an endpoint on the virtual network, to the host and port the Package URI names.
        _coap = new CoapFirmwareDownloader((uri, _) => ValueTask.FromResult(new CoapFirmwareConnection(_fetcher!, new CoapPeer(new IPEndPoint(IPAddress.Parse(uri.Host), uri.Port)), OwnsEndpoint: false)));
    }

    public VirtualTimeProvider Clock { get; }

    public VirtualNetwork Network { get; }

    public Lwm2mServer Server { get; private set; } = null!;

    public Lwm2mClient Client { get; private set; } = null!;

    public CoapEndpoint ClientEndpoint { get; private set; } = null!;

    public FirmwareUpdate Firmware { get; private set; } = null!;

    public Lwm2mObjectStore Store { get; private set; } = null!;

    /// <summary>Object 5's events on the device, across reboots.</summary>
    public EventLog DeviceEvents { get; } = new();

    /// <summary>The server's firmware events, in order.</summary>
    public ConcurrentQueue<FirmwareUpdateEvent> ServerEvents { get; } = new();

    /// <summary>The server's event types in order, e.g. <c>FotaStarted</c>.</summary>
    public IReadOnlyList<string> ServerFlow => [.. ServerEvents.Select(e => e.GetType().Name)];

    public static async Task<ServerFotaRig> StartAsync(Func<IFirmwareVerifier?> verifier, Func<IFirmwareInstaller?> installer, string version = "1.0.0",
        IReadOnlyList<IFirmwareDownloader>? downloaders = null, int seed = 5)
    {
        var clock = new VirtualTimeProvider();
        var network = new VirtualNetwork(clock, seed) { WaitForReadersToStart = true };
        var rig = new ServerFotaRig(clock, network, verifier, installer, downloaders, seed);
        rig.Server = await Lwm2mServer.StartAsync(network.CreateTransport(), new Lwm2mServerOptions { Random = new Random(seed), Coap = new CoapEndpointOptions { Random = new Random(seed + 1) } }, clock);
        rig.Server.Firmware.Changed += (_, e) => rig.ServerEvents.Enqueue(e);
        rig._fetcherTransport = new PullClientTransport(network.CreateTransport());
        rig._fetcher = await CoapEndpoint.StartAsync(rig._fetcherTransport, new CoapEndpointOptions { Random = new Random(seed + 2), Engine = new CoapEngineOptions { FollowBlock2 = false } }, clock);

        // Each block of a coap:// pull takes virtual time, so the device's loop reports State Downloading (the server
        // raises FotaDownloading on it) before the package is in: with an instant link the whole pull and its check
        // could end before the loop ran, and the loop then reported only the final Idle. Object 5 counts as busy
        // except while the pull waits for a block's answer.
        network.SetLinkConditionsBothWays(rig._fetcher.LocalEndPoint, rig.Server.LocalEndPoint, new VirtualLinkConditions { Latency = TimeSpan.FromMilliseconds(10) });
        rig._checks.Add(network.AddIdleCheck(() => rig.Server.IsIdle && rig._fetcher.IsIdle));
        rig._checks.Add(network.AddIdleCheck(() => rig.Client is null
            || (rig.Client.IsIdle && rig.ClientEndpoint.IsIdle && (rig.Firmware.IsIdle || rig._fetcherTransport.AwaitsAnswer))));
        await rig.BootAsync(version, reportOutcome: null);
        return rig;
    }

    /// <summary>The device restarts into <paramref name="newVersion"/>; <paramref name="installed"/> is what the application found after the restart.</summary>
    public async Task RebootAsync(string newVersion, bool installed = true)
    {
        await Client.DisposeAsync();
        await ClientEndpoint.DisposeAsync();
        await Firmware.DisposeAsync();
        await BootAsync(newVersion, installed);
    }

    private async Task BootAsync(string version, bool? reportOutcome)
    {
        Firmware = FirmwareUpdate.Open(new FirmwareUpdateOptions(_dir.Path)
        {
            Verifier = _verifier(),
            Installer = _installer(),
            Events = DeviceEvents.Add,
            Downloaders = [_coap, .. _extraDownloaders ?? []],
            Pull = new FirmwarePullOptions { MaxRetries = 2, RetryDelay = TimeSpan.FromSeconds(1) },
        }, Clock);
        if (reportOutcome is { } success && Firmware.State == FirmwareUpdateState.Updating)
        {
            Firmware.ReportUpdateOutcome(success);
        }

        Store = new Lwm2mObjectStore();
        Store.AddObject(3);
        Store.CreateInstance(3, 0);
        Store.SetValue(new Lwm2mPath(3, 0, 3), version);
        Store.AddFirmwareUpdate(Firmware);
        ClientEndpoint = await CoapEndpoint.StartAsync(Network.CreateTransport(), new CoapEndpointOptions
        {
            Random = new Random(_seed + (10 * ++_boots)),
            Engine = new CoapEngineOptions { MaxBodySize = 256 * 1024 },
        }, Clock);
        var configuration = new Lwm2mClientConfiguration(
            [new Lwm2mSecurityInstance(0, $"coap://{Server.LocalEndPoint}", false, Lwm2mSecurityMode.NoSec) { ShortServerId = 101 }],
            [new Lwm2mServerInstance(0, 101, TimeSpan.FromSeconds(3600))]);
        Client = new Lwm2mClient(configuration, new Lwm2mClientOptions(Endpoint), ClientEndpoint, Store, Clock);
        await Client.StartAsync();
        Assert.True(await RunUntilAsync(() => Client.State == Lwm2mClientState.RegistrationSession, TimeSpan.FromSeconds(60)), "the device did not register");
    }

    /// <summary>Runs the network until <paramref name="task"/> ends and returns its result.</summary>
    public async Task<T> RunAsync<T>(Task<T> task, TimeSpan? limit = null)
    {
        if (!await RunUntilAsync(() => task.IsCompleted, limit ?? TimeSpan.FromSeconds(50)))
        {
            // A safety net against a hang, not a pace: returns as soon as the task ends.
            await task.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        Assert.True(task.IsCompleted, "the operation did not finish within the virtual time limit");
        return await task;
    }

    /// <summary>
    /// Runs until <paramref name="condition"/> holds or no timer falls due before <paramref name="limit"/>. When the
    /// network has settled with no timer due, the server's update task may still be resuming after an exchange (its
    /// idle check cannot see the hop from the endpoint to the task on a cold start): it gets scheduler turns, bounded
    /// by 5 s of real time as a safety net, and the run goes on once it has sent something or changed its status.
    /// </summary>
    public async Task<bool> RunUntilAsync(Func<bool> condition, TimeSpan limit)
    {
        DateTimeOffset end = Clock.GetUtcNow() + limit;
        while (true)
        {
            TimeSpan left = end - Clock.GetUtcNow();
            if (left < TimeSpan.Zero)
            {
                return condition();
            }

            if (await VirtualRun.UntilAsync(Network, Clock, condition, left, static () => { }))
            {
                return true;
            }

            int sent = Network.Capture.Count;
            FirmwareUpdateStatus? status = Server.Firmware.GetStatus(Endpoint);
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            while (Network.Capture.Count == sent && Server.Firmware.GetStatus(Endpoint) == status && !condition()
                && System.Diagnostics.Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(5))
            {
                await Task.Yield();
            }

            if (Network.Capture.Count == sent && Server.Firmware.GetStatus(Endpoint) == status && !condition())
            {
                return false;
            }
        }
    }

    /// <summary>Runs until the server's update of the device is over and returns its final status.</summary>
    public async Task<FirmwareUpdateStatus> RunUntilFinishedAsync(TimeSpan? limit = null)
    {
        Task<FirmwareUpdateStatus?> finished = Server.Firmware.WhenFinishedAsync(Endpoint);
        FirmwareUpdateStatus? status = await RunAsync(finished, limit ?? TimeSpan.FromSeconds(300));
        Assert.NotNull(status);
        return status;
    }

    public async ValueTask DisposeAsync()
    {
        _checks.ForEach(c => c.Dispose());
        await Client.DisposeAsync();
        await ClientEndpoint.DisposeAsync();
        await Firmware.DisposeAsync();
        await _fetcher!.DisposeAsync();
        await Server.DisposeAsync();
        await Network.DisposeAsync();
        _dir.Dispose();
    }
}

/// <summary>An installer that hands over to the bootloader: the outcome is known only after the restart.</summary>
internal sealed class RestartingInstaller : IFirmwareInstaller
{
    public List<byte[]> Installed { get; } = [];

    public ValueTask<FirmwareInstallOutcome> InstallAsync(string packagePath, CancellationToken cancellationToken)
    {
        Installed.Add(File.ReadAllBytes(packagePath));
        return ValueTask.FromResult(FirmwareInstallOutcome.RestartPending);
    }
}

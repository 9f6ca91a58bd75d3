using System.Collections.Concurrent;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Coap.Timing;
using Tern.Coap.Transport;
using Tern.Coap.Transport.Virtual;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Client.Engine;

namespace Tern.Lwm2m.Client.Tests.Driver;

/// <summary>The bootstrap variant: a client with only a bootstrap-server account, a scripted bootstrap server and the LwM2M server.</summary>
internal sealed partial class ClientFixture
{
    private Lwm2mClientOptions? _options;
    private Lwm2mClientConfiguration? _factory;
    private int _seed;

    public CoapEndpoint? BootstrapEndpoint { get; private set; }

    public FakeBootstrapServer Bootstrap { get; } = new();

    /// <summary>What the scripted bootstrap server leaves in the client's store just before each Bootstrap-Finish (standing in for its writes).</summary>
    public Lwm2mClientConfiguration Candidate { get; set; } = null!;

    public string BootstrapUri => $"coap://{BootstrapEndpoint!.LocalEndPoint}";

    public string ServerUri => $"coap://{ServerEndpoint.LocalEndPoint}";

    public static Lwm2mClientOptions BootstrapOptions(string? stateDirectory = null) => new("node-1")
    {
        Objects = [new(1, "1.1", [0]), new(3, null, [0])],
        StateDirectory = stateDirectory,
        BootstrapRetryTimeout = TimeSpan.FromSeconds(10),
        BootstrapRetryCount = 2,
    };

    public static async Task<ClientFixture> StartBootstrapAsync(Lwm2mClientOptions? options = null, VirtualLinkConditions? conditions = null, int seed = 1)
    {
        var clock = new VirtualTimeProvider();
        var network = new VirtualNetwork(clock, seed) { WaitForReadersToStart = true };
        if (conditions is not null)
        {
            network.DefaultConditions = conditions;
        }

        var f = new ClientFixture(clock, network) { _options = options ?? BootstrapOptions(), _seed = seed };
        f.Server.Clock = clock;
        f.Bootstrap.Clock = clock;
        f.ServerEndpoint = await CoapEndpoint.StartAsync(network.CreateTransport(), new CoapEndpointOptions { Handler = f.Server, Random = new Random(seed) }, clock);
        f.BootstrapEndpoint = await CoapEndpoint.StartAsync(network.CreateTransport(), new CoapEndpointOptions { Handler = f.Bootstrap, Random = new Random(seed + 10) }, clock);
        f.Bootstrap.Endpoint = f.BootstrapEndpoint;
        f.Bootstrap.BeforeFinishSent = () => f.Client.DataModel!.LoadConfiguration(f.Candidate);
        f._factory = new Lwm2mClientConfiguration([new Lwm2mSecurityInstance(0, f.BootstrapUri, true, Lwm2mSecurityMode.NoSec)], []);
        f.Candidate = new Lwm2mClientConfiguration(
            [new Lwm2mSecurityInstance(0, f.BootstrapUri, true, Lwm2mSecurityMode.NoSec), new Lwm2mSecurityInstance(1, f.ServerUri, false, Lwm2mSecurityMode.NoSec) { ShortServerId = 1 }],
            [new Lwm2mServerInstance(0, 1, TimeSpan.FromSeconds(300))],
            [new Lwm2mAccessControlInstance(0, 3, 0, 1) { Acl = [new Lwm2mAclEntry(1, Lwm2mAccessRights.Read | Lwm2mAccessRights.Execute)] }]);
        await f.NewClientAsync();
        f._idleCheck = network.AddIdleCheck(() =>
            f.Client.IsIdle && f.ClientEndpoint.IsIdle && f.ServerEndpoint.IsIdle && f.BootstrapEndpoint.IsIdle);
        return f;
    }

    /// <summary>Replaces the client by a new one on a new endpoint, as a device restart would, with the same options and factory configuration.</summary>
    public async Task RestartClientAsync()
    {
        await Client.DisposeAsync();
        await ClientEndpoint.DisposeAsync();
        Drain();
        _seed += 100;
        await NewClientAsync();
    }

    private async Task NewClientAsync()
    {
        ClientEndpoint = await CoapEndpoint.StartAsync(Network.CreateTransport(), new CoapEndpointOptions { Random = new Random(_seed + 1) }, Clock);
        var store = new Lwm2mObjectStore();
        store.AddObject(0);
        store.AddObject(1);
        store.AddObject(2);
        store.AddObject(3);
        store.CreateInstance(3, 0);
        Client = new Lwm2mClient(_factory!, _options!, ClientEndpoint, store, Clock);
    }
}

/// <summary>
/// A scripted bootstrap server: answers Bootstrap-Request (POST /bs?ep=..) with 2.04 and, <see cref="FinishAfter"/> later
/// on the virtual clock, sends Bootstrap-Finish (POST /bs) to the client, recording the answer.
/// </summary>
internal sealed class FakeBootstrapServer : ICoapRequestHandler
{
    private readonly List<ITimer> _timers = [];

    public TimeProvider Clock { get; set; } = TimeProvider.System;

    public CoapEndpoint? Endpoint { get; set; }

    public ConcurrentQueue<(DateTimeOffset At, CoapMessage Request, CoapPeer Peer)> Received { get; } = new();

    public ConcurrentQueue<(DateTimeOffset At, CoapResponse? Answer)> FinishAnswers { get; } = new();

    /// <summary>Answers a request instead of the default when it returns a response.</summary>
    public Func<CoapMessage, CoapResponse?>? Script { get; set; }

    /// <summary>Requests sent one after another (each after the previous answer) before Bootstrap-Finish, e.g. Discover and Writes.</summary>
    public List<CoapMessage> BeforeFinish { get; } = [];

    public ConcurrentQueue<(CoapMessage Request, CoapResponse? Answer)> SessionAnswers { get; } = new();

    /// <summary>When Bootstrap-Finish follows an accepted Bootstrap-Request; null sends none.</summary>
    public TimeSpan? FinishAfter { get; set; } = TimeSpan.FromSeconds(1);

    public IEnumerable<DateTimeOffset> RequestTimes => Received.Where(r => r.Request.Code == CoapCode.Post && r.Request.UriPath == "/bs").Select(r => r.At);

    public ValueTask<CoapResponse?> HandleAsync(CoapRequestContext request, CancellationToken cancellationToken)
    {
        Received.Enqueue((Clock.GetUtcNow(), request.Request, request.Peer));
        if (Script?.Invoke(request.Request) is { } scripted)
        {
            return ValueTask.FromResult<CoapResponse?>(scripted);
        }

        if (request.Request.Code != CoapCode.Post || request.Request.UriPath != "/bs")
        {
            return ValueTask.FromResult<CoapResponse?>(new CoapResponse(CoapCode.NotFound));
        }

        if (FinishAfter is { } delay)
        {
            var peer = request.Peer;
            lock (_timers)
            {
                _timers.Add(Clock.CreateTimer(_ => _ = RunSessionAsync(peer), null, delay, Timeout.InfiniteTimeSpan));
            }
        }

        return ValueTask.FromResult<CoapResponse?>(new CoapResponse(CoapCode.Changed));
    }

    private async Task RunSessionAsync(CoapPeer client)
    {
        foreach (var request in BeforeFinish)
        {
            try
            {
                SessionAnswers.Enqueue((request, await Endpoint!.SendAsync(client, request).ConfigureAwait(false)));
            }
            catch (CoapException)
            {
                SessionAnswers.Enqueue((request, null));
            }
        }

        SendFinish(client);
    }

    /// <summary>Runs just before each Bootstrap-Finish is sent (the fixture puts <see cref="ClientFixture.Candidate"/> in the client's store).</summary>
    public Action? BeforeFinishSent { get; set; }

    /// <summary>Sends Bootstrap-Finish to <paramref name="client"/> now.</summary>
    public void SendFinish(CoapPeer client)
    {
        BeforeFinishSent?.Invoke();
        var finish = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Post };
        finish.AddOption(CoapOption.FromString(CoapOptionNumber.UriPath, "bs"));
        _ = RecordAsync(Endpoint!.SendAsync(client, finish));
    }

    // The endpoint counts a settled exchange as work until this continuation runs, so the network does not go idle in between.
    private async Task RecordAsync(Task<CoapResponse> sending)
    {
        try
        {
            var answer = await sending.ConfigureAwait(false);
            FinishAnswers.Enqueue((Clock.GetUtcNow(), answer));
        }
        catch (CoapException)
        {
            FinishAnswers.Enqueue((Clock.GetUtcNow(), null));
        }
    }
}

using System.Collections.Concurrent;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Coap.Timing;
using Tern.Coap.Transport.Virtual;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Engine;

namespace Tern.Lwm2m.Client.Tests.Driver;

/// <summary>
/// A <see cref="Lwm2mClient"/> and a scripted fake LwM2M server (a CoAP endpoint whose handler answers the
/// registration interface) on a virtual network and a virtual clock. No test sleeps.
/// </summary>
internal sealed partial class ClientFixture : IAsyncDisposable
{
    private IDisposable? _idleCheck;

    private ClientFixture(VirtualTimeProvider clock, VirtualNetwork network)
    {
        Clock = clock;
        Network = network;
        Start = clock.GetUtcNow();
    }

    public VirtualTimeProvider Clock { get; }

    public VirtualNetwork Network { get; }

    public DateTimeOffset Start { get; }

    public CoapEndpoint ServerEndpoint { get; private set; } = null!;

    public CoapEndpoint ClientEndpoint { get; private set; } = null!;

    public Lwm2mClient Client { get; private set; } = null!;

    public FakeServer Server { get; } = new();

    public List<Lwm2mClientEvent> Events { get; } = [];

    public static async Task<ClientFixture> StartAsync(Lwm2mServerInstance server, VirtualLinkConditions? conditions = null, int seed = 1)
    {
        var clock = new VirtualTimeProvider();
        var network = new VirtualNetwork(clock, seed) { WaitForReadersToStart = true };
        if (conditions is not null)
        {
            network.DefaultConditions = conditions;
        }

        var f = new ClientFixture(clock, network);
        f.Server.Clock = clock;
        f.ServerEndpoint = await CoapEndpoint.StartAsync(network.CreateTransport(), new CoapEndpointOptions { Handler = f.Server, Random = new Random(seed) }, clock);
        f.ClientEndpoint = await CoapEndpoint.StartAsync(network.CreateTransport(), new CoapEndpointOptions { Random = new Random(seed + 1) }, clock);
        var configuration = new Lwm2mClientConfiguration(
            [new Lwm2mSecurityInstance(1, $"coap://{f.ServerEndpoint.LocalEndPoint}", false, Lwm2mSecurityMode.NoSec) { ShortServerId = server.ShortServerId }],
            [server]);
        f.Client = new Lwm2mClient(configuration, new Lwm2mClientOptions("node-1") { Objects = [new(1, "1.1", [0]), new(3, null, [0])] }, f.ClientEndpoint, clock);
        f._idleCheck = network.AddIdleCheck(() => f.Client.IsIdle && f.ClientEndpoint.IsIdle && f.ServerEndpoint.IsIdle);
        return f;
    }

    public TimeSpan Elapsed => Clock.GetUtcNow() - Start;

    public async Task RunForAsync(TimeSpan span)
    {
        DateTimeOffset end = Clock.GetUtcNow() + span;
        while (true)
        {
            await Network.SettleAsync();
            if (Clock.NextTimerDue is not { } due || due > end)
            {
                // Out of timers: a late continuation may still arm the client's next one (see NextStepAppearsAsync).
                if (await NextStepAppearsAsync(() => false) && Clock.NextTimerDue is { } late && late <= end)
                {
                    continue;
                }

                break;
            }

            Clock.AdvanceTo(due);
        }

        Clock.AdvanceTo(end);
        await Network.SettleAsync();
        Drain();
    }

    public async Task<bool> RunUntilAsync(Func<bool> condition, TimeSpan limit)
    {
        DateTimeOffset end = Clock.GetUtcNow() + limit;
        while (true)
        {
            bool ok = await Network.RunUntilAsync(() => { Drain(); return condition(); }, end - Clock.GetUtcNow());
            Drain();
            if (ok || !await NextStepAppearsAsync(condition))
            {
                return ok || condition();
            }
        }
    }

    /// <summary>
    /// The network ran out of timers before the condition held. A failed exchange's outcome can still be on its
    /// way through thread-pool continuations into the client's loop, which then arms the next timer; give those
    /// continuations scheduler turns (no real-time sleep) and say whether a timer or the condition appeared.
    /// </summary>
    private async Task<bool> NextStepAppearsAsync(Func<bool> condition)
    {
        for (int turn = 0; turn < 10_000; turn++)
        {
            if (Clock.NextTimerDue is not null || condition())
            {
                return true;
            }

            await Task.Yield();
        }

        return false;
    }

    public void Drain()
    {
        while (Client.Events.TryRead(out var e))
        {
            Events.Add(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _idleCheck?.Dispose();
        await Client.DisposeAsync();
        await ClientEndpoint.DisposeAsync();
        await ServerEndpoint.DisposeAsync();
        if (BootstrapEndpoint is not null)
        {
            await BootstrapEndpoint.DisposeAsync();
        }

        await Network.DisposeAsync();
    }
}

/// <summary>Answers Register with 2.01 and Location-Path rd/7, Update with 2.04, Deregister with 2.02, unless scripted otherwise.</summary>
internal sealed class FakeServer : ICoapRequestHandler
{
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    public ConcurrentQueue<(DateTimeOffset At, CoapMessage Request)> Received { get; } = new();

    public Func<CoapMessage, CoapResponse?>? Script { get; set; }

    public IEnumerable<(DateTimeOffset At, CoapMessage Request)> Of(CoapCode code, string path) =>
        Received.Where(r => r.Request.Code == code && r.Request.UriPath == path);

    public ValueTask<CoapResponse?> HandleAsync(CoapRequestContext request, CancellationToken cancellationToken)
    {
        Received.Enqueue((Clock.GetUtcNow(), request.Request));
        if (Script?.Invoke(request.Request) is { } scripted)
        {
            return ValueTask.FromResult<CoapResponse?>(scripted);
        }

        var message = request.Request;
        CoapResponse? response = (message.Code, message.UriPath) switch
        {
            (var c, "/rd") when c == CoapCode.Post => Created(),
            (var c, "/rd/7") when c == CoapCode.Post => new CoapResponse(CoapCode.Changed),
            (var c, "/rd/7") when c == CoapCode.Delete => new CoapResponse(CoapCode.Deleted),
            _ => new CoapResponse(CoapCode.NotFound),
        };
        return ValueTask.FromResult<CoapResponse?>(response);
    }

    private static CoapResponse Created()
    {
        var message = new CoapMessage { Code = CoapCode.Created };
        message.AddOption(CoapOption.FromString(CoapOptionNumber.LocationPath, "rd"));
        message.AddOption(CoapOption.FromString(CoapOptionNumber.LocationPath, "7"));
        return new CoapResponse(message);
    }
}

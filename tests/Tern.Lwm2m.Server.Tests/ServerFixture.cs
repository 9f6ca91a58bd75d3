using System.Text;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Coap.Timing;
using Tern.Coap.Transport;
using Tern.Coap.Transport.Virtual;

namespace Tern.Lwm2m.Server;

/// <summary>
/// An <see cref="Lwm2mServer"/> on a virtual network and clock, and fake clients speaking raw CoAP to it. Work is
/// driven by running the network: the clock moves timer by timer and no test sleeps.
/// </summary>
internal sealed class ServerFixture : IAsyncDisposable
{
    private readonly List<CoapEndpoint> _clients = [];
    private readonly List<IDisposable> _checks = [];

    private ServerFixture(VirtualTimeProvider clock, VirtualNetwork network)
    {
        Clock = clock;
        Network = network;
    }

    public VirtualTimeProvider Clock { get; }

    public VirtualNetwork Network { get; }

    public Lwm2mServer Server { get; private set; } = null!;

    public static async Task<ServerFixture> StartAsync(Lwm2mServerOptions? options = null, int seed = 1)
    {
        var clock = new VirtualTimeProvider();
        var network = new VirtualNetwork(clock, seed) { WaitForReadersToStart = true };
        var fixture = new ServerFixture(clock, network);
        options ??= new Lwm2mServerOptions();
        options = new Lwm2mServerOptions
        {
            Store = options.Store,
            RequestTimeout = options.RequestTimeout,
            ExpiryGrace = options.ExpiryGrace,
            QueueModeAwakeTime = options.QueueModeAwakeTime,
            Random = options.Random ?? new Random(seed),
            Coap = new CoapEndpointOptions { Random = new Random(seed + 100) },
        };
        fixture.Server = await Lwm2mServer.StartAsync(network.CreateTransport(), options, clock);
        fixture._checks.Add(network.AddIdleCheck(() => fixture.Server.IsIdle));
        return fixture;
    }

    /// <summary>A fake client: a CoAP endpoint whose requests are answered by <paramref name="answer"/> (null: 4.04).</summary>
    public async Task<FakeClient> AddClientAsync(Func<CoapMessage, CoapResponse?>? answer = null, int seed = 7)
    {
        var fake = new FakeClient(answer);
        CoapEndpoint endpoint = await CoapEndpoint.StartAsync(Network.CreateTransport(), new CoapEndpointOptions { Handler = fake, Random = new Random(seed) }, Clock);
        fake.Endpoint = endpoint;
        _clients.Add(endpoint);
        _checks.Add(Network.AddIdleCheck(() => endpoint.IsIdle));
        return fake;
    }

    /// <summary>Runs the network until <paramref name="task"/> completes (failing the test when it cannot) and returns its result.</summary>
    public async Task<T> RunAsync<T>(Task<T> task, TimeSpan? limit = null)
    {
        await RunAsync((Task)task, limit);
        return await task;
    }

    /// <remarks>
    /// The default limit (50 s of virtual time) stays below the server's 60 s request timeout, so a continuation that
    /// the thread pool has not run yet cannot be overtaken by the clock jumping to that timeout. Before each step of
    /// the clock, released continuations get turns to run.
    /// </remarks>
    public async Task RunAsync(Task task, TimeSpan? limit = null)
    {
        DateTimeOffset end = Clock.GetUtcNow() + (limit ?? TimeSpan.FromSeconds(50));
        while (!task.IsCompleted)
        {
            await Network.SettleAsync();
            for (int turn = 0; turn < 1000 && !task.IsCompleted; turn++)
            {
                await Task.Yield();
            }

            await Network.SettleAsync();
            if (task.IsCompleted || Clock.NextTimerDue is not { } due || due > end)
            {
                break;
            }

            Clock.AdvanceTo(due);
        }

        if (!task.IsCompleted)
        {
            // Continuations already released may still be on their way; this bound is a safety net, not a pace.
            await task.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        Assert.True(task.IsCompleted, "the operation did not finish within the virtual time limit");
    }

    /// <summary>Sends a Register the way a client would: POST /rd with the given query and link-format payload.</summary>
    public static CoapMessage Register(string query, string? links, ushort? contentFormat = 40)
    {
        var request = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Post }.SetUriPath("/rd");
        foreach (string part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            request.AddOption(CoapOption.FromString(CoapOptionNumber.UriQuery, part));
        }

        if (links is not null)
        {
            request.ContentFormat = contentFormat;
            request.Payload = Encoding.UTF8.GetBytes(links);
        }

        return request;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (IDisposable check in _checks)
        {
            check.Dispose();
        }

        foreach (CoapEndpoint client in _clients)
        {
            await client.DisposeAsync();
        }

        await Server.DisposeAsync();
        await Network.DisposeAsync();
    }
}

/// <summary>A client made of a CoAP endpoint: registers with raw requests and answers the server with a script.</summary>
internal sealed class FakeClient(Func<CoapMessage, CoapResponse?>? answer) : ICoapRequestHandler
{
    private readonly List<CoapMessage> _received = [];
    private readonly List<CoapObserver> _observers = [];

    /// <summary>When true, observe registrations are accepted (the endpoint then adds the Observe option).</summary>
    public bool AcceptObservations { get; set; }

    public CoapEndpoint Endpoint { get; set; } = null!;

    public CoapPeer Address => Endpoint.LocalEndPoint;

    public Func<CoapMessage, CoapResponse?>? Answer { get; set; } = answer;

    public IReadOnlyList<CoapMessage> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    public ValueTask<CoapResponse?> HandleAsync(CoapRequestContext request, CancellationToken cancellationToken)
    {
        lock (_received)
        {
            _received.Add(request.Request);
        }

        if (AcceptObservations && request.IsObserveRegistration && request.AcceptObservation() is { } observer)
        {
            lock (_received)
            {
                _observers.Add(observer);
            }
        }

        return ValueTask.FromResult(Answer?.Invoke(request.Request));
    }
}

using Tern.Coap.Diagnostics;
using Tern.Coap.Endpoint;
using Tern.Coap.Engine;
using Tern.Coap.Messages;
using Tern.Coap.Timing;
using Tern.Coap.Transport.Virtual;

namespace Tern.Coap.Tests.Diagnostics;

/// <summary>
/// A server and a client endpoint on a virtual network and clock, both recorded into one recorder. The timeout is
/// exactly 2 s (ACK_RANDOM_FACTOR 1), so retransmission times are known. No test sleeps: the clock moves timer by timer.
/// </summary>
internal sealed class RecordingFixture : IAsyncDisposable
{
    private readonly List<IDisposable> _checks = [];

    private RecordingFixture(VirtualTimeProvider clock, VirtualNetwork network, CoapMessageRecorder recorder)
    {
        Clock = clock;
        Network = network;
        Recorder = recorder;
    }

    public static CoapEngineOptions Engine { get; } = new() { Transmission = new CoapTransmissionOptions { AckRandomFactor = 1.0 } };

    public VirtualTimeProvider Clock { get; }

    public VirtualNetwork Network { get; }

    public CoapMessageRecorder Recorder { get; }

    public CoapEndpoint Server { get; private set; } = null!;

    public CoapEndpoint Client { get; private set; } = null!;

    public DateTimeOffset Start { get; private set; }

    public static async Task<RecordingFixture> StartAsync(ICoapRequestHandler handler, CoapMessageRecorderOptions? options = null)
    {
        var clock = new VirtualTimeProvider();
        var network = new VirtualNetwork(clock, seed: 3) { WaitForReadersToStart = true };
        var fixture = new RecordingFixture(clock, network, new CoapMessageRecorder(clock, options));
        fixture.Start = clock.GetUtcNow();
        fixture.Server = await CoapEndpoint.StartAsync(fixture.Recorder.Wrap(network.CreateTransport()), new CoapEndpointOptions { Handler = handler, Engine = Engine, Random = new Random(1) }, clock);
        fixture.Client = await CoapEndpoint.StartAsync(fixture.Recorder.Wrap(network.CreateTransport()), new CoapEndpointOptions { Engine = Engine, Random = new Random(2) }, clock);
        fixture._checks.Add(network.AddIdleCheck(() => fixture.Server.IsIdle && fixture.Client.IsIdle));
        return fixture;
    }

    /// <summary>Runs the network until <paramref name="task"/> completes, moving virtual time as timers fall due.</summary>
    public async Task<T> RunAsync<T>(Task<T> task)
    {
        bool done = await Network.RunUntilAsync(() => task.IsCompleted, TimeSpan.FromMinutes(5));
        if (!done)
        {
            // Only continuations already released remain; the bound is a safety net, not a pace.
            await task.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        Assert.True(task.IsCompleted, "the exchange did not finish within the virtual time limit");
        return await task;
    }

    /// <summary>Each entry as "kind local remote label @seconds", the shape the tests compare.</summary>
    public IReadOnlyList<string> Lines() =>
        [.. Recorder.Entries.Select(e => $"{e.Kind} {e.Local} {e.Remote} {CoapMessageLabels.Describe(e)} @{(e.Timestamp - Start).TotalSeconds:0.###}")];

    public async ValueTask DisposeAsync()
    {
        foreach (IDisposable check in _checks)
        {
            check.Dispose();
        }

        await Client.DisposeAsync();
        await Server.DisposeAsync();
        await Network.DisposeAsync();
    }
}

/// <summary>Answers every request with 2.05 and a short text payload.</summary>
internal sealed class ContentHandler : ICoapRequestHandler
{
    public ValueTask<CoapResponse?> HandleAsync(CoapRequestContext request, CancellationToken cancellationToken) =>
        ValueTask.FromResult<CoapResponse?>(new CoapResponse(CoapCode.Content, "21.5"u8.ToArray()));
}

using System.Text;
using Tern.Coap.Diagnostics;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Coap.Timing;
using Tern.Coap.Transport.Virtual;
using Tern.Lwm2m.Server.Bootstrap;

namespace Tern.Lwm2m.Server.Diagnostics;

/// <summary>
/// A Tern LwM2M server and bootstrap server on recorded transports, and a scripted fake client (not recorded), on a
/// virtual network and clock. The recorder then holds the requests exactly as the Tern servers build them.
/// </summary>
internal sealed class LabelledServerFixture : IAsyncDisposable
{
    private readonly List<IDisposable> _checks = [];

    private LabelledServerFixture(VirtualTimeProvider clock, VirtualNetwork network)
    {
        Clock = clock;
        Network = network;
        Recorder = new CoapMessageRecorder(clock);
    }

    public VirtualTimeProvider Clock { get; }

    public VirtualNetwork Network { get; }

    public CoapMessageRecorder Recorder { get; }

    public Lwm2mServer Server { get; private set; } = null!;

    public Lwm2mBootstrapServer Bootstrap { get; private set; } = null!;

    public FakeClient Client { get; private set; } = null!;

    public static async Task<LabelledServerFixture> StartAsync()
    {
        var clock = new VirtualTimeProvider();
        var network = new VirtualNetwork(clock, 11) { WaitForReadersToStart = true };
        var fixture = new LabelledServerFixture(clock, network);
        fixture.Server = await Lwm2mServer.StartAsync(
            fixture.Recorder.Wrap(network.CreateTransport()),
            new Lwm2mServerOptions { Random = new Random(11), Coap = new CoapEndpointOptions { Random = new Random(12) } },
            clock);
        fixture.Bootstrap = await Lwm2mBootstrapServer.StartAsync(
            fixture.Recorder.Wrap(network.CreateTransport()),
            new Lwm2mBootstrapServerOptions { Coap = new CoapEndpointOptions { Random = new Random(13) } },
            clock);
        fixture.Client = new FakeClient(Answer) { AcceptObservations = true };
        fixture.Client.Endpoint = await CoapEndpoint.StartAsync(network.CreateTransport(), new CoapEndpointOptions { Handler = fixture.Client, Random = new Random(14) }, clock);
        fixture._checks.Add(network.AddIdleCheck(() => fixture.Server.IsIdle && fixture.Bootstrap.IsIdle && fixture.Client.Endpoint.IsIdle));
        return fixture;
    }

    /// <summary>Runs the network until <paramref name="task"/> completes and returns its result.</summary>
    public async Task<T> RunAsync<T>(Task<T> task)
    {
        bool done = await Network.RunUntilAsync(() => task.IsCompleted, TimeSpan.FromSeconds(50));
        if (!done)
        {
            // Only continuations already released remain; a safety net against a hang, not a pace.
            await task.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        Assert.True(task.IsCompleted, "the operation did not finish within the virtual time limit");
        return await task;
    }

    /// <summary>Sends a request from the fake client to <paramref name="to"/>'s address.</summary>
    public Task<CoapResponse> ClientSendsAsync(Tern.Coap.Transport.CoapPeer to, CoapMessage request) =>
        RunAsync(Client.Endpoint.SendAsync(to, request));

    /// <summary>Labels of every recorded entry, in order, by one labeller as a chart would.</summary>
    public IReadOnlyList<string> Labels()
    {
        var labeller = new Lwm2mMessageLabeller();
        return [.. Recorder.Entries.Select(labeller.Label)];
    }

    /// <summary>Labels of the recorded requests only.</summary>
    public IReadOnlyList<string> RequestLabels()
    {
        var labeller = new Lwm2mMessageLabeller();
        return [.. Recorder.Entries.Select(e => (Entry: e, Label: labeller.Label(e))).Where(x => x.Entry.Message?.Code.IsRequest == true).Select(x => x.Label)];
    }

    private static CoapResponse? Answer(CoapMessage request) => request.Code.Value switch
    {
        1 when request.GetUIntOption(CoapOptionNumber.Accept) == 40 => new CoapResponse(CoapCode.Content, Encoding.UTF8.GetBytes("</3/0>,</3/0/9>")) { ContentFormat = 40 },
        1 => new CoapResponse(CoapCode.Content, "42"u8.ToArray()) { ContentFormat = 0 },
        2 when request.UriPath != "/bs" && request.GetOptions(CoapOptionNumber.UriPath).Count() == 1 => new CoapResponse(CoapCode.Created),
        4 => new CoapResponse(CoapCode.Deleted),
        5 => new CoapResponse(CoapCode.Content),
        _ => new CoapResponse(CoapCode.Changed),
    };

    public async ValueTask DisposeAsync()
    {
        foreach (IDisposable check in _checks)
        {
            check.Dispose();
        }

        await Client.Endpoint.DisposeAsync();
        await Bootstrap.DisposeAsync();
        await Server.DisposeAsync();
        await Network.DisposeAsync();
    }
}

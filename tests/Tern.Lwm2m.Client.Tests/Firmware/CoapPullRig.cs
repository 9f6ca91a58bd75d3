using Tern.Coap.Blockwise;
using Tern.Coap.Endpoint;
using Tern.Coap.Engine;
using Tern.Coap.Messages;
using Tern.Coap.Timing;
using Tern.Coap.Transport.Virtual;
using Tern.Lwm2m.Client.Firmware;

namespace Tern.Lwm2m.Client.Tests.Firmware;

/// <summary>
/// A CoAP file server and a firmware client endpoint on a virtual network and clock: the server serves an image
/// block-wise (Block2, 1024-byte blocks), the client's endpoint does not follow Block2 itself.
/// </summary>
internal sealed class CoapPullRig : IAsyncDisposable
{
    private readonly List<IDisposable> _checks = [];
    private PullClientTransport _clientTransport = null!;
    private FirmwareUpdate? _pull;

    private CoapPullRig(VirtualTimeProvider clock, VirtualNetwork network, byte[] image)
    {
        Clock = clock;
        Network = network;
        Image = image;
    }

    public VirtualTimeProvider Clock { get; }

    public VirtualNetwork Network { get; }

    public byte[] Image { get; }

    public CoapEndpoint Server { get; private set; } = null!;

    public CoapEndpoint Client { get; private set; } = null!;

    public string Uri => $"coap://{Server.LocalEndPoint}/fw/image.bin";

    public int ServerGets { get; private set; }

    public static async Task<CoapPullRig> StartAsync(byte[] image, int seed = 1)
    {
        var clock = new VirtualTimeProvider();
        // A little latency makes every block wait for the virtual clock, so a test decides how far the pull gets.
        var network = new VirtualNetwork(clock, seed) { WaitForReadersToStart = true, DefaultConditions = new VirtualLinkConditions { Latency = TimeSpan.FromMilliseconds(5) } };
        var rig = new CoapPullRig(clock, network, image);
        var files = new CoapResourceServer().Map("/fw/image.bin", new CoapResource
        {
            Get = (_, _) =>
            {
                rig.ServerGets++;
                return ValueTask.FromResult(new CoapResponse(CoapCode.Content, image));
            },
        });
        rig.Server = await CoapEndpoint.StartAsync(
            network.CreateTransport(),
            new CoapEndpointOptions { Handler = files, Random = new Random(seed), Engine = new CoapEngineOptions { MaxBodySize = 4 << 20 } },
            clock);
        rig._clientTransport = new PullClientTransport(network.CreateTransport());
        rig.Client = await CoapEndpoint.StartAsync(
            rig._clientTransport,
            new CoapEndpointOptions { Random = new Random(seed + 1), Engine = new CoapEngineOptions { FollowBlock2 = false } },
            clock);
        rig._checks.Add(network.AddIdleCheck(() => rig.Server.IsIdle && rig.Client.IsIdle && !rig.PullIsStoringABlock));
        return rig;
    }

    /// <summary>A downloader that always talks through the rig's client endpoint.</summary>
    public CoapFirmwareDownloader Downloader() =>
        new((_, _) => ValueTask.FromResult(new CoapFirmwareConnection(Client, Server.LocalEndPoint, OwnsEndpoint: false)));

    /// <summary>
    /// Between receiving a block and asking for the next, the pull runs on a pool thread that neither endpoint counts;
    /// the network must not move the clock then (see <see cref="PullClientTransport"/>).
    /// </summary>
    private bool PullIsStoringABlock => _clientTransport.OwesRequest && Volatile.Read(ref _pull) is { IsIdle: false };

    public FirmwareUpdate Open(string stateDirectory, EventLog events, IFirmwareVerifier? verifier = null, int maxRetries = 5)
    {
        FirmwareUpdate pull = FirmwareUpdate.Open(
            new FirmwareUpdateOptions(stateDirectory)
            {
                Downloaders = [Downloader()],
                Verifier = verifier,
                Events = events.Add,
                Pull = new FirmwarePullOptions { MaxRetries = maxRetries, RetryDelay = TimeSpan.FromSeconds(10) },
            },
            Clock);
        Volatile.Write(ref _pull, pull);
        return pull;
    }

    /// <summary>
    /// Runs the virtual clock until <paramref name="condition"/> holds. Object 5's background pull runs code between
    /// its awaits (storing a block, raising events) while neither endpoint counts as busy; the idle check covers the
    /// stretch from a block's answer to the next request, and when the network has nothing due, this yields until the
    /// pull reaches its next exchange or timer, or is over.
    /// </summary>
    public async Task<bool> RunUntilAsync(FirmwareUpdate fw, Func<bool> condition, TimeSpan limit)
    {
        DateTimeOffset end = Clock.GetUtcNow() + limit;
        long giveUp = System.Diagnostics.Stopwatch.GetTimestamp() + (30 * System.Diagnostics.Stopwatch.Frequency);
        while (System.Diagnostics.Stopwatch.GetTimestamp() < giveUp)
        {
            if (await Network.RunUntilAsync(condition, end > Clock.GetUtcNow() ? end - Clock.GetUtcNow() : TimeSpan.Zero))
            {
                return true;
            }

            if (fw.IsIdle || (Clock.NextTimerDue is { } due && due > end))
            {
                return condition();
            }

            await Task.Yield();
        }

        return condition();
    }

    /// <summary>Block2 NUM of every captured datagram that carries one, with its direction and fate.</summary>
    public IReadOnlyList<(bool FromClient, uint Num, VirtualDatagramFate Fate, DateTimeOffset At)> BlockTraffic()
    {
        var list = new List<(bool, uint, VirtualDatagramFate, DateTimeOffset)>();
        foreach (VirtualDatagram d in Network.Capture)
        {
            if (CoapMessageCodec.TryDecode(d.Bytes.Span, out CoapMessage? message) == CoapFormatError.None
                && message!.TryGetBlock2(out Tern.Coap.Blockwise.BlockOption? block) == Tern.Coap.Blockwise.BlockOptionError.None && block is { } b)
            {
                list.Add((d.From == Client.LocalEndPoint, b.Num, d.Fate, d.SentAt));
            }
        }

        return list;
    }

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

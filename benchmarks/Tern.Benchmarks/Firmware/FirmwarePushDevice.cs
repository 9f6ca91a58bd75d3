using System.Globalization;
using System.Net;
using Tern.Coap.Endpoint;
using Tern.Coap.Engine;
using Tern.Coap.Transport.Udp;
using Tern.Lwm2m.Client;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Client.Firmware;

namespace Tern.Benchmarks.Firmware;

/// <summary>
/// The device side of "fota-push", run in its own process so the GC figures are the client's alone:
/// <c>fota-push-device SERVER-PORT SIZE (stream|reassemble)</c>. A Tern client with object 5 (CRC-32 checked) registers
/// with the server on loopback. On each push it notes the process's allocated bytes and heap (after a full
/// collection) when told "start" on standard input (answering "ready"), and again when the package is downloaded
/// and verified, printing <c>round ALLOCATED RETAINED-GROWTH PEAK-LIVE-GROWTH OUTCOME</c>. After "start sample" the live
/// heap is also sampled every 10 ms with a full collection (slowing the transfer; those rounds measure memory only).
/// "stream" passes /5/0/0 blocks through to storage; "stream-inline" too, with the endpoint's handlers run on its
/// receive loop (<see cref="CoapEndpointOptions.RunHandlersInline"/>: no thread-pool hop per block); "reassemble" is
/// the endpoint as it was before: the whole image reassembled in memory (MaxBodySize raised to fit it). It exits when
/// standard input closes.
/// </summary>
public static class FirmwarePushDevice
{
    /// <summary>Runs the device until standard input closes.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        int port = int.Parse(args[0], CultureInfo.InvariantCulture);
        int size = int.Parse(args[1], CultureInfo.InvariantCulture);
        bool stream = args[2] is "stream" or "stream-inline";
        bool inline = args[2] == "stream-inline";
        byte[] image = FirmwarePushRun.Image(size);
        string directory = Directory.CreateTempSubdirectory("tern-fota-push-device-").FullName;
        var meter = new Meter();
        await using FirmwareUpdate firmware = FirmwareUpdate.Open(new FirmwareUpdateOptions(directory)
        {
            Verifier = new Crc32FirmwareVerifier(Crc32.Compute(image)),
            Downloaders = [],
            Events = e =>
            {
                if (e is FirmwareDownloaded or FirmwareError)
                {
                    Console.WriteLine(meter.Stop(e is FirmwareDownloaded ? "downloaded" : "failed"));
                }
            },
        });

        var store = new Lwm2mObjectStore();
        store.AddFirmwareUpdate(firmware);
        CoapEngineOptions engine = stream
            ? new CoapEngineOptions { PassBlock1Through = Lwm2mFirmwareObject.IsPackageBlock }
            : new CoapEngineOptions { MaxBodySize = size + (64 * 1024) };
        await using CoapEndpoint endpoint = await CoapEndpoint.StartAsync(
            await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0)), new CoapEndpointOptions { Engine = engine, RunHandlersInline = inline });
        var configuration = new Lwm2mClientConfiguration(
            [new Lwm2mSecurityInstance(0, $"coap://127.0.0.1:{port}", false, Lwm2mSecurityMode.NoSec) { ShortServerId = 101 }],
            [new Lwm2mServerInstance(0, 101, TimeSpan.FromHours(1))]);
        await using var client = new Lwm2mClient(configuration, new Lwm2mClientOptions(FirmwarePushRun.Endpoint), endpoint, store);
        await client.StartAsync();
        try
        {
            while (await Console.In.ReadLineAsync() is { } command)
            {
                meter.Start(sample: command == "start sample");
                Console.WriteLine("ready");
            }
        }
        finally
        {
            await client.StopAsync(deregister: false);
            Directory.Delete(directory, recursive: true);
        }

        return 0;
    }

    /// <summary>The client's managed memory over one push.</summary>
    private sealed class Meter
    {
        private readonly Lock _gate = new();
        private long _allocated;
        private long _heap;
        private long _peak;
        private Timer? _sampler;

        /// <summary>Before the push: a full collection, then the baseline; with <paramref name="sample"/> the live heap is sampled every 10 ms.</summary>
        public void Start(bool sample)
        {
            lock (_gate)
            {
                _heap = GC.GetTotalMemory(forceFullCollection: true);
                _allocated = GC.GetTotalAllocatedBytes(precise: true);
                _peak = _heap;
                _sampler = sample ? new Timer(_ => Sample(), null, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10)) : null;
            }
        }

        /// <summary>After the package is verified: "round ALLOCATED RETAINED PEAK OUTCOME" (PEAK is -1 when not sampled).</summary>
        public string Stop(string outcome)
        {
            lock (_gate)
            {
                long allocated = GC.GetTotalAllocatedBytes(precise: true) - _allocated;
                bool sampled = _sampler is not null;
                _sampler?.Dispose();
                _sampler = null;
                long retained = GC.GetTotalMemory(forceFullCollection: true) - _heap;
                return string.Create(CultureInfo.InvariantCulture, $"round {allocated} {retained} {(sampled ? _peak - _heap : -1)} {outcome}");
            }
        }

        /// <summary>The live heap now (after a full collection, so garbage does not count).</summary>
        private void Sample()
        {
            long live = GC.GetTotalMemory(forceFullCollection: true);
            lock (_gate)
            {
                _peak = Math.Max(_peak, live);
            }
        }
    }
}

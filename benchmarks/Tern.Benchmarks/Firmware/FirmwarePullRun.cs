using System.Diagnostics;
using System.Globalization;
using System.Net;
using Tern.Coap.Endpoint;
using Tern.Coap.Engine;
using Tern.Coap.Messages;
using Tern.Coap.Transport.Udp;
using Tern.Lwm2m.Client.Firmware;

namespace Tern.Benchmarks.Firmware;

/// <summary>
/// The "fota-pull" mode: pull throughput of a firmware image over loopback UDP with 1024-byte Block2 blocks from a
/// Tern CoAP server. Tern's pull (<see cref="CoapFirmwareDownloader"/> streaming into a
/// <see cref="FirmwarePackageSink"/> file, then a CRC-32 check) and, as the baseline in the same run, libcoap's
/// <c>coap-client-notls -m get -b 1024 -o FILE</c> fetching the same image from the same server, alternating rounds.
/// </summary>
public static class FirmwarePullRun
{
    /// <summary>Runs the comparison; arguments: --size bytes (default 1048576), --rounds n (default 5).</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        int size = (int)RunArguments.Option(args, "--size", 1 << 20);
        int rounds = (int)RunArguments.Option(args, "--rounds", 5);
        byte[] image = new byte[size];
        new Random(1).NextBytes(image);
        uint expectedCrc = Crc32.Compute(image);

        var files = new CoapResourceServer().Map("/fw/image.bin", new CoapResource
        {
            Get = (_, _) => ValueTask.FromResult(new CoapResponse(CoapCode.Content, image)),
        });
        UdpCoapTransport transport = await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0));
        await using CoapEndpoint server = await CoapEndpoint.StartAsync(transport, new CoapEndpointOptions
        {
            Handler = files,
            RunHandlersInline = true,
            Engine = new CoapEngineOptions { MaxBodySize = size + 1024 },
        });
        string uri = $"coap://{server.LocalEndPoint.EndPoint}/fw/image.bin";
        string scratch = Directory.CreateTempSubdirectory("tern-fota-bench-").FullName;
        string client = LibCoapFetch.LocateClient();
        string libcoapOut = Path.Combine(scratch, "libcoap.bin");
        string[] libcoapArgs = ["-m", "get", "-b", "1024", "-B", "60", "-o", libcoapOut, uri];

        Console.WriteLine($"Firmware pull over loopback UDP, CON GET with Block2 SZX 6 (1024-byte blocks), {size:N0}-byte image, Tern CoAP server at {uri}, {Environment.ProcessorCount} cores");
        Console.WriteLine($"  baseline: {client} {string.Join(' ', libcoapArgs)}");
        var tern = new List<double>();
        var libcoap = new List<double>();
        try
        {
            for (int round = 0; round <= rounds; round++)
            {
                bool warmup = round == 0;
                (double ternSeconds, long allocated, long heapGrowth) = await PullWithTernAsync(uri, Path.Combine(scratch, $"tern-{round}"), size, expectedCrc);
                double libcoapSeconds = await LibCoapFetch.PullAsync(client, libcoapArgs, libcoapOut, image);
                if (warmup)
                {
                    continue;
                }

                tern.Add(size / ternSeconds / 1e6);
                libcoap.Add(size / libcoapSeconds / 1e6);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  round {round}: Tern {tern[^1],6:F2} MB/s ({ternSeconds * 1000:F0} ms, {allocated / (size / 1024):N0} B allocated per block by client and server together, managed heap retained {heapGrowth / 1024:+#,0;-#,0;0} KiB)   libcoap {libcoap[^1],6:F2} MB/s ({libcoapSeconds * 1000:F0} ms incl. process start)"));
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median: Tern {RunFigures.Median(tern):F2} MB/s, libcoap coap-client {RunFigures.Median(libcoap):F2} MB/s (MB = 10^6 bytes)"));
        return 0;
    }

    private static async Task<(double Seconds, long Allocated, long HeapGrowth)> PullWithTernAsync(string uri, string directory, int size, uint expectedCrc)
    {
        var downloader = new CoapFirmwareDownloader();
        using var sink = new FirmwarePackageSink(directory, size);
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long start = Stopwatch.GetTimestamp();
        FirmwareTransferOutcome outcome = await downloader.DownloadAsync(new Uri(uri), sink, static (_, _) => { }, CancellationToken.None);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        long heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        if (outcome.Status != FirmwareTransferStatus.Completed)
        {
            throw new InvalidOperationException($"Tern's pull failed: {outcome}");
        }

        await using FileStream stored = sink.OpenRead();
        FirmwareVerificationResult verdict = await new Crc32FirmwareVerifier(expectedCrc).VerifyAsync(stored, CancellationToken.None);
        return verdict.IsValid ? (seconds, allocated, heapAfter - heapBefore) : throw new InvalidOperationException($"Tern's pull stored a different image: {verdict.Reason}");
    }
}

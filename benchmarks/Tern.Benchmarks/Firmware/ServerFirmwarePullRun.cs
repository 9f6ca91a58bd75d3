using System.Diagnostics;
using System.Globalization;
using System.Net;
using Tern.Coap.Endpoint;
using Tern.Coap.Engine;
using Tern.Coap.Transport.Udp;
using Tern.Lwm2m.Client.Firmware;
using Tern.Lwm2m.Server;
using Tern.Lwm2m.Server.Firmware;

namespace Tern.Benchmarks.Firmware;

/// <summary>
/// The "fota-server-pull" mode: a firmware image served by the Tern LwM2M server itself (<see cref="Lwm2mServer.FirmwareImages"/>,
/// <c>coap://SERVER/fw/ID</c>, the resource a server-driven pull names in /5/0/1), fetched over loopback UDP with
/// 1024-byte Block2 blocks by libcoap's <c>coap-client-notls -m get -b 1024</c> and by Tern's own pull
/// (<see cref="CoapFirmwareDownloader"/> into a <see cref="FirmwarePackageSink"/>), alternating rounds in one run.
/// Two server settings: the default engine (MaxBodySize 64 KiB, so a larger image is not kept in the Block2 cache and
/// every block request is cut afresh from the image), and MaxBodySize raised above the image size (cached once per fetch).
/// </summary>
public static class ServerFirmwarePullRun
{
    /// <summary>Runs it; arguments: --size bytes (default 1048576), --rounds n (default 5).</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        int size = (int)RunArguments.Option(args, "--size", 1 << 20);
        int rounds = (int)RunArguments.Option(args, "--rounds", 5);
        byte[] image = new byte[size];
        new Random(3).NextBytes(image);
        string client = LibCoapFetch.LocateClient();
        string scratch = Directory.CreateTempSubdirectory("tern-fota-server-bench-").FullName;
        Console.WriteLine($"Firmware pull from the Tern LwM2M server's /fw resource over loopback UDP, CON GET with Block2 SZX 6 (1024-byte blocks), {size:N0}-byte image, {Environment.ProcessorCount} cores");
        try
        {
            foreach ((string name, int? maxBody) in new[] { ("default engine (MaxBodySize 64 KiB: blocks cut afresh)", (int?)null), ($"MaxBodySize {size + 1024:N0} (image cached per fetch)", size + 1024) })
            {
                await RunSettingAsync(name, maxBody, image, rounds, client, scratch);
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }

        return 0;
    }

    private static async Task RunSettingAsync(string name, int? maxBody, byte[] image, int rounds, string client, string scratch)
    {
        UdpCoapTransport transport = await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0));
        await using Lwm2mServer server = await Lwm2mServer.StartAsync(transport, new Lwm2mServerOptions
        {
            Coap = new CoapEndpointOptions { Engine = maxBody is { } m ? new CoapEngineOptions { MaxBodySize = m } : CoapEngineOptions.Default },
        });
        FirmwareImage served = server.FirmwareImages.Add(image);
        string uri = $"coap://{server.LocalEndPoint.EndPoint}/{FirmwareImageLibrary.PathSegment}/{served.Id}";
        string output = Path.Combine(scratch, "libcoap.bin");
        string[] arguments = ["-m", "get", "-b", "1024", "-B", "120", "-o", output, uri];
        Console.WriteLine($"server setting: {name}");
        Console.WriteLine($"  baseline: {client} {string.Join(' ', arguments)}");
        var tern = new List<double>();
        var libcoap = new List<double>();
        uint crc = Crc32.Compute(image);
        for (int round = 0; round <= rounds; round++)
        {
            double ternSeconds = await PullWithTernAsync(uri, Path.Combine(scratch, $"tern-{maxBody ?? 0}-{round}"), image.Length, crc);
            double libcoapSeconds = await LibCoapFetch.PullAsync(client, arguments, output, image);
            if (round == 0)
            {
                continue; // warm-up
            }

            tern.Add(image.Length / ternSeconds / 1e6);
            libcoap.Add(image.Length / libcoapSeconds / 1e6);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  round {round}: Tern pull {tern[^1],6:F2} MB/s ({ternSeconds * 1000:F0} ms)   libcoap coap-client-notls {libcoap[^1],6:F2} MB/s ({libcoapSeconds * 1000:F0} ms incl. process start)"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  median: Tern {RunFigures.Median(tern):F2} MB/s, libcoap coap-client-notls {RunFigures.Median(libcoap):F2} MB/s (MB = 10^6 bytes)"));
    }

    private static async Task<double> PullWithTernAsync(string uri, string directory, int size, uint crc)
    {
        var downloader = new CoapFirmwareDownloader();
        using var sink = new FirmwarePackageSink(directory, size);
        long start = Stopwatch.GetTimestamp();
        FirmwareTransferOutcome outcome = await downloader.DownloadAsync(new Uri(uri), sink, static (_, _) => { }, CancellationToken.None);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (outcome.Status != FirmwareTransferStatus.Completed)
        {
            throw new InvalidOperationException($"Tern's pull failed: {outcome}");
        }

        await using FileStream stored = sink.OpenRead();
        FirmwareVerificationResult verdict = await new Crc32FirmwareVerifier(crc).VerifyAsync(stored, CancellationToken.None);
        return verdict.IsValid ? seconds : throw new InvalidOperationException($"Tern's pull stored other bytes: {verdict.Reason}");
    }
}

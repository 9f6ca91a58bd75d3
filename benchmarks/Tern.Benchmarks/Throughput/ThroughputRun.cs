using System.Globalization;
using System.Net;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Coap.Transport.Udp;

namespace Tern.Benchmarks.Throughput;

/// <summary>
/// The "throughput" mode: a load test, not a BenchmarkDotNet benchmark (BenchmarkDotNet measures call latency;
/// this measures a server process under sustained load). Tern's CoAP server and libcoap's coap-server-notls serve
/// GET "/" with the same payload on loopback; the same raw load generator drives each in turn, alternating rounds.
/// </summary>
public static class ThroughputRun
{
    /// <summary>Runs the comparison; arguments: --duration s, --warmup s, --concurrency n, --lanes n, --rounds n, --pool-handlers.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        double duration = RunArguments.Option(args, "--duration", 5);
        double warmup = RunArguments.Option(args, "--warmup", 3);
        int concurrency = (int)RunArguments.Option(args, "--concurrency", 64);
        int lanes = (int)RunArguments.Option(args, "--lanes", 4);
        int rounds = (int)RunArguments.Option(args, "--rounds", 3);

        // The handler answers synchronously, so it runs on the receive loop (no thread hop) unless asked otherwise.
        bool inline = !args.Contains("--pool-handlers");

        await using LibCoapServerProcess libcoap = await LibCoapServerProcess.StartAsync();
        byte[] payload = await RawCoap.GetAsync(libcoap.EndPoint, TimeSpan.FromSeconds(5));
        await using CoapEndpoint tern = await StartTernAsync(payload, inline);
        var ternEndPoint = tern.LocalEndPoint.EndPoint;

        Console.WriteLine($"CoAP request/response throughput, loopback UDP, CON GET / ({payload.Length}-byte payload), " +
            $"{concurrency} outstanding over {lanes} sockets, {warmup} s warm-up + {duration} s per run, {Environment.ProcessorCount} cores");
        Console.WriteLine($"Tern at {ternEndPoint} (handlers {(inline ? "inline on the receive loop" : "on the thread pool")}), libcoap {libcoap.EndPoint}");

        var ternRates = new List<double>();
        var libcoapRates = new List<double>();
        for (int round = 1; round <= rounds; round++)
        {
            foreach ((string name, IPEndPoint endPoint, List<double> rates) in new[] { ("libcoap", libcoap.EndPoint, libcoapRates), ("Tern", ternEndPoint, ternRates) })
            {
                var generator = new RawCoapLoadGenerator(endPoint, concurrency, lanes);
                long allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
                int gen0Before = GC.CollectionCount(0);
                LoadResult result = await generator.RunAsync(TimeSpan.FromSeconds(warmup), TimeSpan.FromSeconds(duration));
                long allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;
                int gen0 = GC.CollectionCount(0) - gen0Before;
                rates.Add(result.PerSecond);

                // Allocation covers warm-up and measurement and this whole process (load generator included, which
                // allocates next to nothing per request), so for libcoap it shows the generator's own share.
                long total = result.Responses + (long)(result.PerSecond * warmup);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  round {round} {name,-8} {result.PerSecond,10:N0} responses/s  ({result.Responses:N0} in {result.Elapsed.TotalSeconds:F2} s, " +
                    $"{result.ErrorResponses} errors, {result.TimedOut} timed out, response {result.ResponseBytes} B, " +
                    $"this process allocated ~{allocated / Math.Max(1, total):N0} B/response, {gen0} gen0 GCs)"));
            }
        }

        // The median resists one round disturbed by other work on the machine; the mean is shown beside it.
        double ternMedian = RunFigures.Median(ternRates);
        double libcoapMedian = RunFigures.Median(libcoapRates);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Median: Tern {ternMedian:N0}/s, libcoap {libcoapMedian:N0}/s, ratio Tern/libcoap = {ternMedian / libcoapMedian:F2} " +
            $"(means {ternRates.Average():N0} and {libcoapRates.Average():N0}, ratio {ternRates.Average() / libcoapRates.Average():F2})"));
        return 0;
    }

    private static async Task<CoapEndpoint> StartTernAsync(byte[] payload, bool inline)
    {
        UdpCoapTransport transport = await UdpCoapTransport.BindAsync(
            new IPEndPoint(IPAddress.Loopback, 0), new UdpCoapTransportOptions { SocketReceiveBufferSize = 1 << 20 });
        return await CoapEndpoint.StartAsync(transport, new CoapEndpointOptions { Handler = new FixedHandler(payload), RunHandlersInline = inline });
    }

    private sealed class FixedHandler(byte[] payload) : ICoapRequestHandler
    {
        public ValueTask<CoapResponse?> HandleAsync(CoapRequestContext request, CancellationToken cancellationToken) =>
            ValueTask.FromResult<CoapResponse?>(request.Request.Code == CoapCode.Get
                ? new CoapResponse(CoapCode.Content, payload) { ContentFormat = 0 }
                : new CoapResponse(CoapCode.MethodNotAllowed));
    }
}

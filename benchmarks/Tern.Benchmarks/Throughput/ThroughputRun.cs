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
    /// <summary>Runs the comparison; arguments: --duration s, --warmup s, --concurrency n, --lanes n, --rounds n.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        double duration = Option(args, "--duration", 5);
        double warmup = Option(args, "--warmup", 1);
        int concurrency = (int)Option(args, "--concurrency", 64);
        int lanes = (int)Option(args, "--lanes", 4);
        int rounds = (int)Option(args, "--rounds", 2);

        await using LibCoapServerProcess libcoap = await LibCoapServerProcess.StartAsync();
        byte[] payload = await RawCoap.GetAsync(libcoap.EndPoint, TimeSpan.FromSeconds(5));
        await using CoapEndpoint tern = await StartTernAsync(payload);
        var ternEndPoint = tern.LocalEndPoint.EndPoint;

        Console.WriteLine($"CoAP request/response throughput, loopback UDP, CON GET / ({payload.Length}-byte payload), " +
            $"{concurrency} outstanding over {lanes} sockets, {warmup} s warm-up + {duration} s per run, {Environment.ProcessorCount} cores");
        Console.WriteLine($"Tern at {ternEndPoint}, libcoap {libcoap.EndPoint}");

        var ternRates = new List<double>();
        var libcoapRates = new List<double>();
        for (int round = 1; round <= rounds; round++)
        {
            foreach ((string name, IPEndPoint endPoint, List<double> rates) in new[] { ("libcoap", libcoap.EndPoint, libcoapRates), ("Tern", ternEndPoint, ternRates) })
            {
                var generator = new RawCoapLoadGenerator(endPoint, concurrency, lanes);
                LoadResult result = await generator.RunAsync(TimeSpan.FromSeconds(warmup), TimeSpan.FromSeconds(duration));
                rates.Add(result.PerSecond);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  round {round} {name,-8} {result.PerSecond,10:N0} responses/s  ({result.Responses:N0} in {result.Elapsed.TotalSeconds:F2} s, " +
                    $"{result.ErrorResponses} errors, {result.TimedOut} timed out, response {result.ResponseBytes} B)"));
            }
        }

        double ternMean = ternRates.Average();
        double libcoapMean = libcoapRates.Average();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Tern {ternMean:N0}/s, libcoap {libcoapMean:N0}/s, ratio Tern/libcoap = {ternMean / libcoapMean:F2}"));
        return 0;
    }

    private static async Task<CoapEndpoint> StartTernAsync(byte[] payload)
    {
        UdpCoapTransport transport = await UdpCoapTransport.BindAsync(
            new IPEndPoint(IPAddress.Loopback, 0), new UdpCoapTransportOptions { SocketReceiveBufferSize = 1 << 20 });
        return await CoapEndpoint.StartAsync(transport, new CoapEndpointOptions { Handler = new FixedHandler(payload) });
    }

    private static double Option(string[] args, string name, double fallback)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? double.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private sealed class FixedHandler(byte[] payload) : ICoapRequestHandler
    {
        public ValueTask<CoapResponse?> HandleAsync(CoapRequestContext request, CancellationToken cancellationToken) =>
            ValueTask.FromResult<CoapResponse?>(request.Request.Code == CoapCode.Get
                ? new CoapResponse(CoapCode.Content, payload) { ContentFormat = 0 }
                : new CoapResponse(CoapCode.MethodNotAllowed));
    }
}

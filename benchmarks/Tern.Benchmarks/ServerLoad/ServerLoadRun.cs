using System.Diagnostics;
using System.Globalization;
using System.Net;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Coap.Transport;
using Tern.Coap.Transport.Udp;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server;
using Tern.Lwm2m.Server.Operations;

namespace Tern.Benchmarks.ServerLoad;

/// <summary>
/// Load tests of the embedded LwM2M server over loopback UDP (like "throughput", these measure a server under
/// sustained load, which BenchmarkDotNet's per-call timing does not):
/// "registrations" drives Register/De-register from many raw-UDP clients; "server-reads" runs Reads through
/// <see cref="Lwm2mServer.ReadAsync"/> against registered clients.
/// Run: dotnet run -c Release --project benchmarks/Tern.Benchmarks -- registrations [--clients 256 --lanes 8]
/// and dotnet run -c Release --project benchmarks/Tern.Benchmarks -- server-reads [--clients 1 --concurrency 4].
/// </summary>
public static class ServerLoadRun
{
    /// <summary>Registrations per second; arguments: --clients n, --lanes n, --duration s, --warmup s, --rounds n, --inline.</summary>
    public static async Task<int> RunRegistrationsAsync(string[] args)
    {
        int clients = (int)RunArguments.Option(args, "--clients", 256);
        int lanes = (int)RunArguments.Option(args, "--lanes", 8);
        double duration = RunArguments.Option(args, "--duration", 5);
        double warmup = RunArguments.Option(args, "--warmup", 2);
        int rounds = (int)RunArguments.Option(args, "--rounds", 3);
        bool inline = args.Contains("--inline");

        await using Lwm2mServer server = await StartServerAsync(inline);
        IPEndPoint endPoint = server.LocalEndPoint.EndPoint;
        Console.WriteLine($"LwM2M Register + De-register over loopback UDP: {clients} simulated clients on {lanes} sockets, each registering, " +
            $"de-registering and starting over; {warmup} s warm-up + {duration} s per round; {Environment.ProcessorCount} cores; " +
            $"server handlers {(inline ? "inline on the receive loop" : "on the thread pool")}");
        var rates = new List<double>();
        for (int round = 1; round <= rounds; round++)
        {
            long allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
            RegistrationLoadResult result = await new RegistrationLoadGenerator(endPoint, clients, lanes).RunAsync(TimeSpan.FromSeconds(warmup), TimeSpan.FromSeconds(duration));
            long allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;
            long requests = (long)(result.RequestsPerSecond * (warmup + duration));
            rates.Add(result.RegistrationsPerSecond);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  round {round}: {result.RegistrationsPerSecond,9:N0} registrations/s, {result.RequestsPerSecond,9:N0} requests/s " +
                $"({result.Registrations:N0} registered, {result.Deregistrations:N0} de-registered in {result.Elapsed.TotalSeconds:F2} s; " +
                $"{result.ErrorResponses} errors, {result.TimedOut} timed out; process allocated ~{allocated / Math.Max(1, requests):N0} B/request)"));
        }

        int left = (await server.GetRegistrationsAsync()).Count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Median {RunFigures.Median(rates):N0} registrations/s; {left} registrations left in the store (at most one per client)."));
        return 0;
    }

    /// <summary>Reads per second; arguments: --clients n, --concurrency n (per client), --duration s, --warmup s, --inline.</summary>
    public static async Task<int> RunReadsAsync(string[] args)
    {
        int clients = (int)RunArguments.Option(args, "--clients", 1);
        int concurrency = (int)RunArguments.Option(args, "--concurrency", 4);
        double duration = RunArguments.Option(args, "--duration", 5);
        double warmup = RunArguments.Option(args, "--warmup", 2);
        bool inline = args.Contains("--inline");

        await using Lwm2mServer server = await StartServerAsync(inline);
        var devices = new List<CoapEndpoint>();
        try
        {
            for (int i = 0; i < clients; i++)
            {
                devices.Add(await RegisterDeviceAsync(server.LocalEndPoint, $"reader-{i}"));
            }

            Console.WriteLine($"LwM2M Read of /3/0/9 (text) through Lwm2mServer.ReadAsync over loopback UDP: {clients} registered client(s), " +
                $"{concurrency} reads outstanding per client (the server's CoAP engine sends one at a time per client, NSTART=1); " +
                $"{warmup} s warm-up + {duration} s; {Environment.ProcessorCount} cores");
            var path = new Lwm2mPath(3, 0, 9);
            long good = 0;
            long failed = 0;
            bool measuring = false;
            using var stop = new CancellationTokenSource();
            Task[] workers = [.. Enumerable.Range(0, clients * concurrency).Select(w => Task.Run(async () =>
            {
                string endpoint = $"reader-{w % clients}";
                while (!stop.IsCancellationRequested)
                {
                    ReadResult read = await server.ReadAsync(endpoint, path, Lwm2mContentFormat.Text, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
                    if (Volatile.Read(ref measuring))
                    {
                        Interlocked.Increment(ref read.IsSuccess ? ref good : ref failed);
                    }
                }
            }))];

            await Task.Delay(TimeSpan.FromSeconds(warmup));
            long allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
            long start = Stopwatch.GetTimestamp();
            Volatile.Write(ref measuring, true);
            await Task.Delay(TimeSpan.FromSeconds(duration));
            Volatile.Write(ref measuring, false);
            TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
            long allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;
            await stop.CancelAsync();
            await Task.WhenAll(workers);
            long reads = Interlocked.Read(ref good);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {reads / elapsed.TotalSeconds:N0} reads/s ({reads:N0} in {elapsed.TotalSeconds:F2} s, {Interlocked.Read(ref failed)} failed; " +
                $"process, server and clients together, allocated ~{allocated / Math.Max(1, reads):N0} B/read)"));
        }
        finally
        {
            foreach (CoapEndpoint device in devices)
            {
                await device.DisposeAsync();
            }
        }

        return 0;
    }

    private static async Task<Lwm2mServer> StartServerAsync(bool inline)
    {
        UdpCoapTransport transport = await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0), new UdpCoapTransportOptions { SocketReceiveBufferSize = 1 << 22 });
        return await Lwm2mServer.StartAsync(transport, new Lwm2mServerOptions { Coap = new CoapEndpointOptions { RunHandlersInline = inline } });
    }

    /// <summary>A device made of a Tern CoAP endpoint: registers with a raw Register and answers every GET with "100" in plain text.</summary>
    private static async Task<CoapEndpoint> RegisterDeviceAsync(CoapPeer server, string name)
    {
        UdpCoapTransport transport = await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0));
        CoapEndpoint device = await CoapEndpoint.StartAsync(transport, new CoapEndpointOptions { Handler = new ValueHandler(), RunHandlersInline = true });
        var register = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Post, ContentFormat = Lwm2mContentFormat.LinkFormat, Payload = "</3/0>"u8.ToArray() }.SetUriPath("/rd");
        foreach (string query in new[] { $"ep={name}", "lt=3600", "lwm2m=1.1", "b=U" })
        {
            register.AddOption(CoapOption.FromString(CoapOptionNumber.UriQuery, query));
        }

        CoapResponse answer = await device.SendAsync(server, register);
        if (answer.Code != CoapCode.Created)
        {
            throw new InvalidOperationException($"Register of {name} was answered {answer.Code}.");
        }

        return device;
    }

    private sealed class ValueHandler : ICoapRequestHandler
    {
        private static readonly byte[] Value = "100"u8.ToArray();

        public ValueTask<CoapResponse?> HandleAsync(CoapRequestContext request, CancellationToken cancellationToken) =>
            ValueTask.FromResult<CoapResponse?>(request.Request.Code == CoapCode.Get
                ? new CoapResponse(CoapCode.Content, Value) { ContentFormat = Lwm2mContentFormat.Text }
                : new CoapResponse(CoapCode.MethodNotAllowed));
    }
}

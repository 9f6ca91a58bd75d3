using System.Diagnostics;
using System.Globalization;
using System.Net;
using Tern.Coap.Dtls;

namespace Tern.Benchmarks.Dtls;

/// <summary>
/// PSK handshake cost with the native server engine: median wall time over N handshakes (full, and resumed after the
/// client closed its session) over loopback, and bytes on the wire (handshake and CCS records, headers included)
/// counted by a relay, next to BouncyCastle's server and libcoap's client and server in the same run.
/// Run: dotnet run -c Release --project benchmarks/Tern.Benchmarks -- dtls-psk [N]
/// </summary>
public static class DtlsPskHandshakeFigures
{
    public static async Task RunAsync(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var loopback = new IPEndPoint(IPAddress.Loopback, 0);
        await using DtlsServerTransport native = DtlsServerTransport.Bind(loopback, DtlsBenchSetup.PskServer());
        await using DtlsServerTransport classic = DtlsServerTransport.Bind(loopback, new DtlsServerOptions
        {
            PskStore = new Tern.Coap.Dtls.DtlsPskStore().Set("bench-device", DtlsBenchSetup.PskKey),
            UseNativePsk = false,
        });

        Console.WriteLine($"PSK TLS_PSK_WITH_AES_128_CCM_8 handshakes over loopback, median of {n} (after {Warmup} warm-up)");
        Console.WriteLine("scenario | median ms | p90 ms | handshake bytes | datagrams");
        (List<double> full, List<double> resumed) = await TimeAsync(native.LocalEndPoint.EndPoint, n);
        (List<double> classicFull, _) = await TimeAsync(classic.LocalEndPoint.EndPoint, n, resume: false);
        await ReportAsync("Tern client -> Tern native server, full", native.LocalEndPoint.EndPoint, full, resumed: false);
        await ReportAsync("Tern client -> Tern native server, resumed", native.LocalEndPoint.EndPoint, resumed, resumed: true);
        await ReportAsync("Tern client -> BouncyCastle server (UseNativePsk=false), full", classic.LocalEndPoint.EndPoint, classicFull, resumed: false);
        await LibcoapAsync(native.LocalEndPoint.EndPoint);
    }

    private const int Warmup = 20;

    // Full and resumed handshakes alternate, so that load from other processes weighs on both alike.
    private static async Task<(List<double> Full, List<double> Resumed)> TimeAsync(IPEndPoint server, int n, bool resume = true)
    {
        var full = new List<double>(n);
        var resumed = new List<double>(n);
        await using DtlsClientTransport reused = await DtlsClientTransport.ConnectAsync(server, DtlsBenchSetup.PskClient());
        for (int i = 0; i < Warmup + n; i++)
        {
            long start = Stopwatch.GetTimestamp();
            DtlsClientTransport client = await DtlsClientTransport.ConnectAsync(server, DtlsBenchSetup.PskClient());
            double fullMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            await client.DisposeAsync();

            double resumedMs = 0;
            if (resume)
            {
                reused.CloseSession();
                start = Stopwatch.GetTimestamp();
                await reused.EnsureConnectedAsync();
                resumedMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (!reused.LastHandshakeResumed)
                {
                    throw new InvalidOperationException("The handshake was not resumed.");
                }
            }

            if (i >= Warmup)
            {
                full.Add(fullMs);
                resumed.Add(resumedMs);
            }
        }

        return (full, resumed);
    }

    private static async Task ReportAsync(string scenario, IPEndPoint server, List<double> samples, bool resumed)
    {
        await using var counter = new HandshakeWireCounter(server);
        await using DtlsClientTransport counted = await DtlsClientTransport.ConnectAsync(counter.EndPoint, DtlsBenchSetup.PskClient());
        if (resumed)
        {
            counted.CloseSession();
            await Task.Delay(50); // let the close_notify pass the counter before it is reset
            counter.Reset();
            await counted.EnsureConnectedAsync();
        }

        await Task.Delay(100); // the client's last flight (resumed: the final one) is still on its way through the counter
        samples.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{scenario} | {samples[samples.Count / 2]:F3} | {samples[(int)(samples.Count * 0.9)]:F3} | {counter.HandshakeBytes} | {counter.Datagrams}"));
    }

    private static async Task LibcoapAsync(IPEndPoint tern)
    {
        int port = DtlsBenchSetup.FreePortPair();
        Process server = DtlsBenchSetup.StartTool("coap-server-openssl", "-A", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-k", DtlsBenchSetup.PskKeyText);
        var openSsl = new IPEndPoint(IPAddress.Loopback, port + 1);
        try
        {
            await (await DtlsClientTransport.ConnectAsync(openSsl, DtlsBenchSetup.PskClient())).DisposeAsync(); // server is up
            foreach ((string name, IPEndPoint target) in new[] { ("coap-client-openssl -> coap-server-openssl, full", openSsl), ("coap-client-openssl -> Tern native server, full", tern) })
            {
                await using var counter = new HandshakeWireCounter(target);
                Process client = DtlsBenchSetup.StartTool("coap-client-openssl", "-u", "bench-device", "-k", DtlsBenchSetup.PskKeyText, "-B", "5",
                    $"coaps://127.0.0.1:{counter.EndPoint.Port}/");
                using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                await client.WaitForExitAsync(bound.Token);
                DtlsBenchSetup.Stop(client);
                Console.WriteLine($"{name} (suite 0x{counter.SelectedCipherSuite:X4}) | - | - | {counter.HandshakeBytes} | {counter.Datagrams}");
            }
        }
        finally
        {
            DtlsBenchSetup.Stop(server);
        }
    }
}

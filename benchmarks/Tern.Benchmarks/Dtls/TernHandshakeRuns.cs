using System.Diagnostics;
using System.Globalization;
using System.Net;
using Tern.Coap.Dtls;

namespace Tern.Benchmarks.Dtls;

/// <summary>A Tern DTLS server configuration under test; <paramref name="Name"/> heads its rows.</summary>
internal sealed record HandshakeServer(string Name, DtlsServerOptions Options);

/// <summary>A client configuration under test (for example one cipher suite); <paramref name="Name"/> goes into its rows.</summary>
internal sealed record HandshakeClient(string Name, Func<DtlsClientOptions> Options);

/// <summary>
/// The common harness of the handshake figures: for each server and client configuration, N full handshakes and N
/// attempts to resume (after warm-ups) timed over loopback, then one of each counted byte by byte through a
/// <see cref="HandshakeWireCounter"/>. A resumption the server declines is reported, not treated as a failure.
/// </summary>
internal static class TernHandshakeRuns
{
    public const int Warmup = 20;

    /// <summary>N, the handshakes timed per row: the first command-line argument, 200 without one.</summary>
    public static int Count(string[] args) => args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;

    /// <summary>Binds each server on loopback in turn and prints a full and a resumed row for every client against it.</summary>
    public static async Task<List<HandshakeRow>> RunAsync(IReadOnlyList<HandshakeServer> servers, IReadOnlyList<HandshakeClient> clients, int n)
    {
        var rows = new List<HandshakeRow>();
        foreach (HandshakeServer server in servers)
        {
            await using DtlsServerTransport transport = DtlsServerTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0), server.Options);
            foreach (HandshakeClient client in clients)
            {
                rows.AddRange(await MeasureAsync(server.Name, transport.LocalEndPoint.EndPoint, client, n));
            }
        }

        return rows;
    }

    /// <summary>Times and counts full and resumed handshakes of <paramref name="client"/> with any DTLS server, and prints the two rows.</summary>
    public static async Task<HandshakeRow[]> MeasureAsync(string serverName, IPEndPoint server, HandshakeClient client, int n)
    {
        string scenario = $"Tern client -> {serverName}{(client.Name.Length > 0 ? ", " + client.Name : "")}";
        Func<DtlsClientOptions> options = client.Options;
        (List<double> full, List<double> resumed, int resumedCount) = await TimeAsync(server, options, n);
        WireFigure fullWire = await CountAsync(server, options, resume: false);
        WireFigure resumedWire = await CountAsync(server, options, resume: true);
        string outcome = resumedWire.Resumption ?? "no ServerHello seen";
        HandshakeRow[] rows =
        [
            new(scenario + ", full", full, fullWire, fullWire.SessionIssued),
            new(scenario + ", resumed", resumed, resumedWire, $"counted: {outcome}; timed: {resumedCount}/{n} resumed"),
        ];
        Array.ForEach(rows, HandshakeTable.Print);
        return rows;
    }

    // Full handshakes and resumption attempts alternate, so that load from other processes weighs on both alike.
    private static async Task<(List<double> Full, List<double> Resumed, int ResumedCount)> TimeAsync(IPEndPoint server, Func<DtlsClientOptions> options, int n)
    {
        var full = new List<double>(n);
        var resumed = new List<double>(n);
        int resumedCount = 0;
        await using DtlsClientTransport reused = await DtlsClientTransport.ConnectAsync(server, options());
        for (int i = 0; i < Warmup + n; i++)
        {
            long start = Stopwatch.GetTimestamp();
            DtlsClientTransport client = await DtlsClientTransport.ConnectAsync(server, options());
            double fullMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            await client.DisposeAsync();

            reused.CloseSession();
            start = Stopwatch.GetTimestamp();
            await reused.EnsureConnectedAsync();
            double resumedMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;

            if (i >= Warmup)
            {
                full.Add(fullMs);
                resumed.Add(resumedMs);
                resumedCount += reused.LastHandshakeResumed ? 1 : 0;
            }
        }

        return (full, resumed, resumedCount);
    }

    // One handshake through the counter: a fresh client's full one, or a reconnect that offers the session just made.
    private static async Task<WireFigure> CountAsync(IPEndPoint server, Func<DtlsClientOptions> options, bool resume)
    {
        await using var counter = new HandshakeWireCounter(server);
        await using DtlsClientTransport counted = await DtlsClientTransport.ConnectAsync(counter.EndPoint, options());
        if (resume)
        {
            counted.CloseSession();
            await Task.Delay(50); // let the close_notify pass the counter before it is reset
            counter.Reset();
            await counted.EnsureConnectedAsync();
        }

        await Task.Delay(100); // the client's last flight (resumed: the final one) is still on its way through the counter
        return WireFigure.Of(counter);
    }
}

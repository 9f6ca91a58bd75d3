using System.Diagnostics;
using System.Globalization;
using System.Net;
using Tern.Coap.Dtls;

namespace Tern.Benchmarks.Dtls;

/// <summary>
/// libcoap 4.3.1's OpenSSL tools as DTLS peers of the handshake figures: <c>coap-server-openssl</c> on a free loopback
/// port, and <c>coap-client-openssl</c> runs whose handshake is counted by a relay. The credential arguments (PSK
/// <c>-u/-k</c>, or certificates <c>-c/-j/-R</c>) are the caller's, so PSK and certificate runs share the rest.
/// </summary>
internal sealed class LibcoapDtls(Process server, IPEndPoint endPoint) : IAsyncDisposable
{
    /// <summary>The DTLS (coaps) endpoint of the running coap-server-openssl.</summary>
    public IPEndPoint EndPoint => endPoint;

    /// <summary>
    /// Starts coap-server-openssl with <paramref name="credentials"/> and returns once a Tern client configured by
    /// <paramref name="probe"/> has completed a handshake with it (so the server is listening).
    /// </summary>
    public static async Task<LibcoapDtls> StartServerAsync(string[] credentials, DtlsClientOptions probe)
    {
        int port = DtlsBenchSetup.FreePortPair();
        Process server = DtlsBenchSetup.StartTool("coap-server-openssl", ["-A", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), .. credentials]);
        var endPoint = new IPEndPoint(IPAddress.Loopback, port + 1);
        try
        {
            await (await DtlsClientTransport.ConnectAsync(endPoint, probe)).DisposeAsync();
        }
        catch
        {
            DtlsBenchSetup.Stop(server);
            throw;
        }

        return new LibcoapDtls(server, endPoint);
    }

    /// <summary>
    /// Runs one coap-client-openssl GET with <paramref name="credentials"/> against <paramref name="target"/> through a
    /// counter and returns what its handshake put on the wire. A server that never answers the GET (a bare Tern
    /// transport) costs the client's 5-second break; the handshake is long over by then.
    /// </summary>
    public static async Task<WireFigure> CountClientAsync(IPEndPoint target, string[] credentials)
    {
        await using var counter = new HandshakeWireCounter(target);
        Process client = DtlsBenchSetup.StartTool("coap-client-openssl", [.. credentials, "-B", "5", $"coaps://127.0.0.1:{counter.EndPoint.Port}/"]);
        try
        {
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await client.WaitForExitAsync(bound.Token);
        }
        finally
        {
            DtlsBenchSetup.Stop(client);
        }

        return WireFigure.Of(counter);
    }

    /// <summary>
    /// The libcoap rows of a handshake table: coap-client-openssl against coap-server-openssl, and against a Tern
    /// server bound with <paramref name="tern"/>'s options; libcoap picks its own suites (they cannot be set from its command line).
    /// </summary>
    public static async Task<(HandshakeRow LibcoapToLibcoap, HandshakeRow LibcoapToTern)> RunRowsAsync(
        HandshakeServer tern, string[] serverCredentials, string[] clientCredentials, DtlsClientOptions probe)
    {
        WireFigure toLibcoap;
        await using (LibcoapDtls server = await StartServerAsync(serverCredentials, probe))
        {
            toLibcoap = await CountClientAsync(server.EndPoint, clientCredentials);
        }

        await using DtlsServerTransport ternServer = DtlsServerTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0), tern.Options);
        WireFigure toTern = await CountClientAsync(ternServer.LocalEndPoint.EndPoint, clientCredentials);
        var rows = (new HandshakeRow("coap-client-openssl -> coap-server-openssl, full", [], toLibcoap, "suite picked by libcoap"),
                    new HandshakeRow($"coap-client-openssl -> {tern.Name}, full", [], toTern, "suite picked by the Tern server"));
        HandshakeTable.Print(rows.Item1);
        HandshakeTable.Print(rows.Item2);
        return rows;
    }

    public ValueTask DisposeAsync()
    {
        DtlsBenchSetup.Stop(server);
        return ValueTask.CompletedTask;
    }
}

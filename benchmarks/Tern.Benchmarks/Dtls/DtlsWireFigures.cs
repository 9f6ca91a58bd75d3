using System.Net;
using Tern.Coap.Dtls;

namespace Tern.Benchmarks.Dtls;

/// <summary>
/// Handshake bytes on the wire (DTLS records of type handshake and change_cipher_spec, headers included),
/// counted by a relay in front of the server, for Tern and libcoap in the same run.
/// Run: dotnet run -c Release --project benchmarks/Tern.Benchmarks -- dtls-wire
/// </summary>
public static class DtlsWireFigures
{
    public static async Task RunAsync()
    {
        Console.WriteLine("scenario | cipher suite | handshake bytes | handshake datagrams");
        await PskAsync();
        await CertificateAsync();
    }

    private static async Task PskAsync()
    {
        string[] clientCredentials = ["-u", "bench-device", "-k", DtlsBenchSetup.PskKeyText];
        await using DtlsServerTransport tern = DtlsServerTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0), DtlsBenchSetup.PskServer());
        await using LibcoapDtls openSsl = await LibcoapDtls.StartServerAsync(["-k", DtlsBenchSetup.PskKeyText], DtlsBenchSetup.PskClient());

        await using (var counter = new HandshakeWireCounter(tern.LocalEndPoint.EndPoint))
        {
            await using DtlsClientTransport client = await DtlsClientTransport.ConnectAsync(counter.EndPoint, DtlsBenchSetup.PskClient());
            Report("PSK full: Tern client -> Tern server", counter);
        }

        await using (var counter = new HandshakeWireCounter(openSsl.EndPoint))
        {
            await using DtlsClientTransport client = await DtlsClientTransport.ConnectAsync(counter.EndPoint, DtlsBenchSetup.PskClient());
            Report("PSK full: Tern client -> coap-server-openssl", counter);
            counter.Reset();
            client.CloseSession();
            await client.EnsureConnectedAsync();
            Report($"PSK resumed ({client.LastHandshakeResumed}): Tern client -> coap-server-openssl", counter);
        }

        Report("PSK full: coap-client-openssl -> coap-server-openssl", await LibcoapDtls.CountClientAsync(openSsl.EndPoint, clientCredentials));
        Report("PSK full: coap-client-openssl -> Tern server", await LibcoapDtls.CountClientAsync(tern.LocalEndPoint.EndPoint, clientCredentials));
    }

    private static async Task CertificateAsync()
    {
        using var pki = new BenchPki();
        DtlsClientOptions clientOptions = pki.ClientOptions(DtlsCipherSuite.EcdheEcdsaWithAes128Ccm8);
        await using DtlsServerTransport tern = DtlsServerTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0), pki.ServerOptions());
        await using LibcoapDtls openSsl = await LibcoapDtls.StartServerAsync(pki.LibcoapServerArguments, clientOptions);

        await using (var counter = new HandshakeWireCounter(tern.LocalEndPoint.EndPoint))
        {
            await using DtlsClientTransport c = await DtlsClientTransport.ConnectAsync(counter.EndPoint, clientOptions);
            Report("Certificate full: Tern client -> Tern server", counter);
        }

        await using (var counter = new HandshakeWireCounter(openSsl.EndPoint))
        {
            await using DtlsClientTransport c = await DtlsClientTransport.ConnectAsync(counter.EndPoint, clientOptions);
            Report("Certificate full: Tern client -> coap-server-openssl", counter);
        }

        Report("Certificate full: coap-client-openssl -> coap-server-openssl", await LibcoapDtls.CountClientAsync(openSsl.EndPoint, pki.LibcoapClientArguments));
        Report("Certificate full: coap-client-openssl -> Tern server", await LibcoapDtls.CountClientAsync(tern.LocalEndPoint.EndPoint, pki.LibcoapClientArguments));
    }

    private static void Report(string scenario, HandshakeWireCounter counter) => Report(scenario, WireFigure.Of(counter));

    private static void Report(string scenario, WireFigure wire) =>
        Console.WriteLine($"{scenario} | 0x{wire.Suite:X4} | {wire.Bytes} | {wire.Datagrams}");
}

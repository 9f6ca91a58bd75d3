using System.Diagnostics;
using System.Globalization;
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
        Console.WriteLine("scenario | cipher suite | handshake bytes | datagrams (whole run)");
        await PskAsync();
        await CertificateAsync();
    }

    private static async Task PskAsync()
    {
        await using DtlsServerTransport tern = DtlsServerTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0), DtlsBenchSetup.PskServer());
        int port = DtlsBenchSetup.FreePortPair();
        Process openSsl = DtlsBenchSetup.StartTool("coap-server-openssl", "-A", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-k", DtlsBenchSetup.PskKeyText);
        var openSslEndPoint = new IPEndPoint(IPAddress.Loopback, port + 1);
        try
        {
            await (await DtlsClientTransport.ConnectAsync(openSslEndPoint, DtlsBenchSetup.PskClient())).DisposeAsync(); // server is up

            await using (var counter = new HandshakeWireCounter(tern.LocalEndPoint.EndPoint))
            {
                await using DtlsClientTransport client = await DtlsClientTransport.ConnectAsync(counter.EndPoint, DtlsBenchSetup.PskClient());
                Report("PSK full: Tern client -> Tern server", counter);
            }

            await using (var counter = new HandshakeWireCounter(openSslEndPoint))
            {
                await using DtlsClientTransport client = await DtlsClientTransport.ConnectAsync(counter.EndPoint, DtlsBenchSetup.PskClient());
                Report("PSK full: Tern client -> coap-server-openssl", counter);
                counter.Reset();
                client.CloseSession();
                await client.EnsureConnectedAsync();
                Report($"PSK resumed ({client.LastHandshakeResumed}): Tern client -> coap-server-openssl", counter);
            }

            await using (var counter = new HandshakeWireCounter(openSslEndPoint))
            {
                await RunLibcoapClientAsync(counter, "-u", "bench-device", "-k", DtlsBenchSetup.PskKeyText);
                Report("PSK full: coap-client-openssl -> coap-server-openssl", counter);
            }

            await using (var counter = new HandshakeWireCounter(tern.LocalEndPoint.EndPoint))
            {
                await RunLibcoapClientAsync(counter, "-u", "bench-device", "-k", DtlsBenchSetup.PskKeyText);
                Report("PSK full: coap-client-openssl -> Tern server", counter);
            }
        }
        finally
        {
            DtlsBenchSetup.Stop(openSsl);
        }
    }

    private static async Task CertificateAsync()
    {
        var ca = DtlsBenchSetup.Issue("Bench CA", null);
        var server = DtlsBenchSetup.Issue("localhost", ca);
        var client = DtlsBenchSetup.Issue("bench-client", ca);
        string directory = Path.Combine(Path.GetTempPath(), "tern-dtls-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        string Write(string name, object value)
        {
            string path = Path.Combine(directory, name);
            File.WriteAllText(path, DtlsBenchSetup.Pem(value));
            return path;
        }

        string[] serverFiles = ["-c", Write("server.pem", server.Certificate), "-j", Write("server.key", server.Keys.Private), "-C", Write("ca.pem", ca.Certificate)];
        string[] clientFiles = ["-c", Write("client.pem", client.Certificate), "-j", Write("client.key", client.Keys.Private), "-C", Path.Combine(directory, "ca.pem")];
        var clientOptions = new DtlsClientOptions
        {
            Certificate = DtlsCertificateCredentials.Create([client.Certificate], client.Keys.Private),
            ServerCertificate = ca.Certificate,
            CertificateUsage = DtlsCertificateUsage.TrustAnchorAssertion,
            CipherSuites = [DtlsCipherSuite.EcdheEcdsaWithAes128Ccm8],
            HandshakeTimeout = TimeSpan.FromSeconds(15),
        };
        await using DtlsServerTransport tern = DtlsServerTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0), new DtlsServerOptions
        {
            Certificate = DtlsCertificateCredentials.Create([server.Certificate], server.Keys.Private),
            TrustedClientCertificates = [ca.Certificate],
        });
        int port = DtlsBenchSetup.FreePortPair();
        Process openSsl = DtlsBenchSetup.StartTool("coap-server-openssl", ["-A", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), .. serverFiles]);
        var openSslEndPoint = new IPEndPoint(IPAddress.Loopback, port + 1);
        try
        {
            await (await DtlsClientTransport.ConnectAsync(openSslEndPoint, clientOptions)).DisposeAsync(); // server is up

            await using (var counter = new HandshakeWireCounter(tern.LocalEndPoint.EndPoint))
            {
                await using DtlsClientTransport c = await DtlsClientTransport.ConnectAsync(counter.EndPoint, clientOptions);
                Report("Certificate full: Tern client -> Tern server", counter);
            }

            await using (var counter = new HandshakeWireCounter(openSslEndPoint))
            {
                await using DtlsClientTransport c = await DtlsClientTransport.ConnectAsync(counter.EndPoint, clientOptions);
                Report("Certificate full: Tern client -> coap-server-openssl", counter);
            }

            await using (var counter = new HandshakeWireCounter(openSslEndPoint))
            {
                await RunLibcoapClientAsync(counter, clientFiles);
                Report("Certificate full: coap-client-openssl -> coap-server-openssl", counter);
            }

            await using (var counter = new HandshakeWireCounter(tern.LocalEndPoint.EndPoint))
            {
                await RunLibcoapClientAsync(counter, clientFiles);
                Report("Certificate full: coap-client-openssl -> Tern server", counter);
            }
        }
        finally
        {
            DtlsBenchSetup.Stop(openSsl);
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task RunLibcoapClientAsync(HandshakeWireCounter counter, params string[] options)
    {
        Process client = DtlsBenchSetup.StartTool("coap-client-openssl", [.. options, "-B", "5", $"coaps://127.0.0.1:{counter.EndPoint.Port}/"]);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await client.WaitForExitAsync(bound.Token);
        DtlsBenchSetup.Stop(client);
    }

    private static void Report(string scenario, HandshakeWireCounter counter) =>
        Console.WriteLine($"{scenario} | 0x{counter.SelectedCipherSuite:X4} | {counter.HandshakeBytes} | {counter.Datagrams}");
}

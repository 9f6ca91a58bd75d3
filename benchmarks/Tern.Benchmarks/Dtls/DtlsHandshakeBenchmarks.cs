using System.Diagnostics;
using System.Net;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.X509;
using Tern.Coap.Dtls;

namespace Tern.Benchmarks.Dtls;

/// <summary>
/// DTLS handshake latency over loopback. Full handshakes are Tern client ↔ Tern server. BouncyCastle 1.8.10's
/// server never issues a session ID, so the resumed handshake is measured against coap-server-openssl (with the
/// full handshake against the same server for comparison). Each iteration is one handshake (Monitoring).
/// </summary>
[SimpleJob(RunStrategy.Monitoring, warmupCount: 5, iterationCount: 40)]
[MemoryDiagnoser]
public class DtlsHandshakeBenchmarks
{
    private DtlsServerTransport _pskServer = null!;
    private DtlsServerTransport _certificateServer = null!;
    private DtlsClientOptions _certificateClient = null!;
    private Process? _openSslServer;
    private IPEndPoint _openSslEndPoint = null!;
    private DtlsClientTransport _resumingClient = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _pskServer = DtlsServerTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0), DtlsBenchSetup.PskServer());
        (X509Certificate Certificate, AsymmetricCipherKeyPair Keys) ca = DtlsBenchSetup.Issue("Bench CA", null);
        var server = DtlsBenchSetup.Issue("bench.server", ca);
        var client = DtlsBenchSetup.Issue("bench-client", ca);
        _certificateServer = DtlsServerTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0), new DtlsServerOptions
        {
            Certificate = DtlsCertificateCredentials.Create([server.Certificate], server.Keys.Private),
            TrustedClientCertificates = [ca.Certificate],
        });
        _certificateClient = new DtlsClientOptions
        {
            Certificate = DtlsCertificateCredentials.Create([client.Certificate], client.Keys.Private),
            ServerCertificate = ca.Certificate,
            CertificateUsage = DtlsCertificateUsage.TrustAnchorAssertion,
            ServerName = "bench.server",
            CipherSuites = [DtlsCipherSuite.EcdheEcdsaWithAes128Ccm8],
        };
        int port = DtlsBenchSetup.FreePortPair();
        _openSslServer = DtlsBenchSetup.StartTool("coap-server-openssl", "-A", "127.0.0.1", "-p", port.ToString(), "-k", DtlsBenchSetup.PskKeyText);
        _openSslEndPoint = new IPEndPoint(IPAddress.Loopback, port + 1);
        _resumingClient = await DtlsClientTransport.ConnectAsync(_openSslEndPoint, DtlsBenchSetup.PskClient());
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _resumingClient.DisposeAsync();
        await _pskServer.DisposeAsync();
        await _certificateServer.DisposeAsync();
        DtlsBenchSetup.Stop(_openSslServer);
    }

    [Benchmark(Description = "Full PSK CCM_8 handshake, Tern -> Tern")]
    public async Task FullPskHandshake()
    {
        await using DtlsClientTransport client = await DtlsClientTransport.ConnectAsync(_pskServer.LocalEndPoint.EndPoint, DtlsBenchSetup.PskClient());
    }

    [Benchmark(Description = "Full certificate ECDHE_ECDSA CCM_8 handshake, Tern -> Tern")]
    public async Task FullCertificateHandshake()
    {
        await using DtlsClientTransport client = await DtlsClientTransport.ConnectAsync(_certificateServer.LocalEndPoint.EndPoint, _certificateClient);
    }

    [Benchmark(Description = "Full PSK CCM_8 handshake, Tern -> coap-server-openssl")]
    public async Task FullPskHandshakeWithOpenSsl()
    {
        await using DtlsClientTransport client = await DtlsClientTransport.ConnectAsync(_openSslEndPoint, DtlsBenchSetup.PskClient());
    }

    [Benchmark(Description = "Resumed PSK CCM_8 handshake, Tern -> coap-server-openssl")]
    public async Task ResumedPskHandshakeWithOpenSsl()
    {
        _resumingClient.CloseSession();
        await _resumingClient.EnsureConnectedAsync();
        if (!_resumingClient.LastHandshakeResumed)
        {
            throw new InvalidOperationException("The handshake was not resumed.");
        }
    }
}

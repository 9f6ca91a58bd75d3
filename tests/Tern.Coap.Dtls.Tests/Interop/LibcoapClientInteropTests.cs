using System.Text;
using Tern.Coap.Dtls.Tests.Support;

namespace Tern.Coap.Dtls.Tests.Interop;

/// <summary>libcoap's coap-client (OpenSSL and GnuTLS builds) against Tern's DTLS server answering with raw CoAP.</summary>
public sealed class LibcoapClientInteropTests
{
    private const string PskKey = "tern-secret-psk";

    // A Tern server that knows one PSK identity, "libcoap-device", with PskKey.
    private static DtlsServerTransport StartPskServer() =>
        DtlsServerTransport.Bind(Loopback.AnyPort, new DtlsServerOptions
        {
            PskStore = new DtlsPskStore().Set("libcoap-device", Encoding.ASCII.GetBytes(PskKey)),
        });

    private static async Task<string> RunClientAsync(DtlsServerTransport server, string tool, CancellationToken cancellationToken, params string[] options)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task responder = RawCoap.RespondAsync(server, stop.Token);
        string uri = $"coaps://127.0.0.1:{server.LocalEndPoint.EndPoint.Port}/interop";
        await using var client = LibcoapProcess.Start(tool, [.. options, "-B", "10", uri]);
        string output = await client.WaitForExitAsync(cancellationToken);
        stop.Cancel();
        await responder;
        return output;
    }

    [Theory]
    [InlineData("coap-client-openssl")]
    [InlineData("coap-client-gnutls")]
    public async Task Libcoap_client_fetches_from_tern_server_with_psk(string tool)
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = StartPskServer();
        var identities = new List<string?>();
        server.SessionEstablished += (_, e) => { lock (identities) { identities.Add(e.Info.PskIdentity); } };

        string output = await RunClientAsync(server, tool, bound.Token, "-u", "libcoap-device", "-k", PskKey);

        Assert.Contains("hello /interop", output, StringComparison.Ordinal);
        lock (identities)
        {
            Assert.Equal(["libcoap-device"], identities);
        }
    }

    [Theory]
    [InlineData("coap-client-openssl")]
    [InlineData("coap-client-gnutls")]
    public async Task Libcoap_client_with_an_unknown_identity_gets_nothing_from_tern_server(string tool)
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = StartPskServer();
        var failed = new TaskCompletionSource<DtlsErrorKind>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.HandshakeFailed += (_, e) => failed.TrySetResult(e.Error.Kind);

        string output = await RunClientAsync(server, tool, bound.Token, "-u", "intruder", "-k", PskKey);

        Assert.DoesNotContain("hello /interop", output, StringComparison.Ordinal);
        Assert.Equal(DtlsErrorKind.UnknownPskIdentity, await failed.Task.WaitAsync(bound.Token));
    }

    [Theory]
    [InlineData("coap-client-openssl")]
    [InlineData("coap-client-gnutls")]
    public async Task Libcoap_client_fetches_from_tern_server_with_certificates_and_is_mapped_by_common_name(string tool)
    {
        using var bound = Loopback.SafetyBound();
        using var files = new TempFiles();
        TestIdentity ca = TestCertificates.CreateCa("Interop CA");
        TestIdentity serverIdentity = TestCertificates.CreateLeaf("localhost", ca, dnsName: "localhost");
        TestIdentity clientIdentity = TestCertificates.CreateLeaf("libcoap-cert-device", ca);
        await using DtlsServerTransport server = DtlsServerTransport.Bind(Loopback.AnyPort, new DtlsServerOptions
        {
            Certificate = serverIdentity.Credentials(),
            TrustedClientCertificates = [ca.Certificate],
        });
        var names = new List<string?>();
        server.SessionEstablished += (_, e) => { lock (names) { names.Add(e.Info.CommonName); } };

        string output = await RunClientAsync(server, tool, bound.Token,
            "-c", files.Write("client.pem", clientIdentity.CertificatePem), "-j", files.Write("client.key", clientIdentity.PrivateKeyPem),
            "-C", files.Write("ca.pem", ca.CertificatePem));

        Assert.Contains("hello /interop", output, StringComparison.Ordinal);
        lock (names)
        {
            Assert.Equal(["libcoap-cert-device"], names);
        }
    }

    [Fact]
    public async Task Libcoap_client_with_a_certificate_from_an_unknown_ca_is_refused_by_tern_server()
    {
        using var bound = Loopback.SafetyBound();
        using var files = new TempFiles();
        TestIdentity ca = TestCertificates.CreateCa("Interop CA");
        TestIdentity rogueCa = TestCertificates.CreateCa("Rogue CA");
        TestIdentity serverIdentity = TestCertificates.CreateLeaf("localhost", ca, dnsName: "localhost");
        TestIdentity rogueClient = TestCertificates.CreateLeaf("rogue-device", rogueCa);
        await using DtlsServerTransport server = DtlsServerTransport.Bind(Loopback.AnyPort, new DtlsServerOptions
        {
            Certificate = serverIdentity.Credentials(),
            TrustedClientCertificates = [ca.Certificate],
        });
        var failed = new TaskCompletionSource<DtlsErrorKind>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.HandshakeFailed += (_, e) => failed.TrySetResult(e.Error.Kind);

        string output = await RunClientAsync(server, "coap-client-openssl", bound.Token,
            "-c", files.Write("client.pem", rogueClient.CertificatePem), "-j", files.Write("client.key", rogueClient.PrivateKeyPem),
            "-C", files.Write("ca.pem", ca.CertificatePem));

        Assert.DoesNotContain("hello /interop", output, StringComparison.Ordinal);
        Assert.Equal(DtlsErrorKind.UntrustedCertificate, await failed.Task.WaitAsync(bound.Token));
        Assert.Equal(0, server.PeerCount);
    }
}

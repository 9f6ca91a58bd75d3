using System.Net;
using System.Text;
using Tern.Coap.Dtls.Tests.Support;
using Tern.Coap.Messages;

namespace Tern.Coap.Dtls.Tests.Interop;

/// <summary>Tern's DTLS client against libcoap's coap-server-openssl.</summary>
public sealed class LibcoapServerInteropTests
{
    private const string PskKey = "tern-secret-psk";

    private static async Task<CoapMessage> FetchRootAsync(DtlsClientTransport client, CancellationToken cancellationToken) =>
        await RawCoap.RequestAsync(client, client.RemoteEndPoint, "", cancellationToken);

    /// <remarks>
    /// libcoap's OpenSSL build does not enable TLS_PSK_WITH_AES_128_CBC_SHA256 (it answers handshake_failure),
    /// so the CBC suite is proven against the GnuTLS build of the same server.
    /// </remarks>
    [Theory]
    [InlineData("coap-server-openssl", DtlsCipherSuite.PskWithAes128Ccm8)]
    [InlineData("coap-server-gnutls", DtlsCipherSuite.PskWithAes128Ccm8)]
    [InlineData("coap-server-gnutls", DtlsCipherSuite.PskWithAes128CbcSha256)]
    public async Task Tern_client_fetches_from_libcoap_server_with_psk(string tool, DtlsCipherSuite suite)
    {
        using var bound = Loopback.SafetyBound();
        int port = LibcoapProcess.FreePortPair();
        await using var server = LibcoapProcess.Start(tool, "-A", "127.0.0.1", "-p", port.ToString(), "-k", PskKey, "-h", "tern-hint");

        await using DtlsClientTransport client = await DtlsClientTransport.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port + 1), new DtlsClientOptions
        {
            PskIdentity = "tern-device",
            PskKey = Encoding.ASCII.GetBytes(PskKey),
            CipherSuites = [suite],
            HandshakeTimeout = TimeSpan.FromSeconds(15),
        }, bound.Token);
        CoapMessage response = await FetchRootAsync(client, bound.Token);

        Assert.True(response.Code.IsSuccess, $"{response.Code} {server.Output}");
        Assert.Contains("libcoap", Encoding.UTF8.GetString(response.Payload.Span), StringComparison.Ordinal);
        Assert.Equal(suite, client.Server!.CipherSuite);
    }

    /// <remarks>
    /// OpenSSL silently discards the Finished it cannot decrypt (RFC 6347 §4.1.2.7) and sends no alert, so
    /// nothing on the wire says "wrong key": the client can only time out, with a message pointing at the key.
    /// (A Tern server answers bad_record_mac instead, which maps to <see cref="DtlsErrorKind.DecryptError"/>.)
    /// </remarks>
    [Fact]
    public async Task Wrong_psk_against_coap_server_openssl_times_out_after_the_finished_and_says_so()
    {
        using var bound = Loopback.SafetyBound();
        int port = LibcoapProcess.FreePortPair();
        await using var server = LibcoapProcess.Start("coap-server-openssl", "-A", "127.0.0.1", "-p", port.ToString(), "-k", PskKey);

        var error = await Assert.ThrowsAsync<DtlsException>(async () =>
            await DtlsClientTransport.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port + 1), new DtlsClientOptions
            {
                PskIdentity = "tern-device",
                PskKey = Encoding.ASCII.GetBytes("not-the-key"),
                HandshakeTimeout = TimeSpan.FromSeconds(4),
            }, bound.Token));

        Assert.Equal(DtlsErrorKind.HandshakeTimeout, error.Kind);
        Assert.Contains("Finished", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DtlsCipherSuite.EcdheEcdsaWithAes128Ccm8)]
    [InlineData(DtlsCipherSuite.EcdheEcdsaWithAes128GcmSha256)]
    public async Task Tern_client_fetches_from_coap_server_openssl_with_certificates(DtlsCipherSuite suite)
    {
        using var bound = Loopback.SafetyBound();
        using var files = new TempFiles();
        TestIdentity ca = TestCertificates.CreateCa("Interop CA");
        TestIdentity serverIdentity = TestCertificates.CreateLeaf("localhost", ca, dnsName: "localhost");
        TestIdentity clientIdentity = TestCertificates.CreateLeaf("tern-interop-client", ca);
        int port = LibcoapProcess.FreePortPair();
        await using var server = LibcoapProcess.Start("coap-server-openssl", "-A", "127.0.0.1", "-p", port.ToString(),
            "-c", files.Write("server.pem", serverIdentity.CertificatePem), "-j", files.Write("server.key", serverIdentity.PrivateKeyPem),
            "-C", files.Write("ca.pem", ca.CertificatePem));

        await using DtlsClientTransport client = await DtlsClientTransport.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port + 1), new DtlsClientOptions
        {
            Certificate = clientIdentity.Credentials(),
            ServerCertificate = ca.Certificate,
            CertificateUsage = DtlsCertificateUsage.TrustAnchorAssertion,
            ServerName = "localhost",
            CipherSuites = [suite],
            HandshakeTimeout = TimeSpan.FromSeconds(15),
        }, bound.Token);
        CoapMessage response = await FetchRootAsync(client, bound.Token);

        Assert.True(response.Code.IsSuccess, $"{response.Code} {server.Output}");
        Assert.Equal("localhost", client.Server!.CommonName);
        Assert.Equal(suite, client.Server.CipherSuite);
    }

    [Fact]
    public async Task Reconnect_to_coap_server_openssl_resumes_the_previous_session()
    {
        using var bound = Loopback.SafetyBound();
        int port = LibcoapProcess.FreePortPair();
        await using var server = LibcoapProcess.Start("coap-server-openssl", "-A", "127.0.0.1", "-p", port.ToString(), "-k", PskKey);
        await using DtlsClientTransport client = await DtlsClientTransport.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port + 1), new DtlsClientOptions
        {
            PskIdentity = "tern-device",
            PskKey = Encoding.ASCII.GetBytes(PskKey),
            HandshakeTimeout = TimeSpan.FromSeconds(15),
        }, bound.Token);
        await FetchRootAsync(client, bound.Token);
        Assert.False(client.LastHandshakeResumed);

        client.CloseSession();
        CoapMessage response = await FetchRootAsync(client, bound.Token);

        Assert.True(response.Code.IsSuccess);
        Assert.Equal(2, client.HandshakeCount);
        Assert.True(client.LastHandshakeResumed, server.Output);
    }
}

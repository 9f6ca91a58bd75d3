using System.Text;
using Org.BouncyCastle.X509;
using Tern.Coap.Dtls.Tests.Support;

namespace Tern.Coap.Dtls.Tests;

/// <summary>Tern client ↔ Tern server over loopback UDP with ECDSA P-256 certificates.</summary>
public sealed class DtlsCertificateTests
{
    private static readonly TestIdentity Ca = TestCertificates.CreateCa("Tern Test CA");
    private static readonly TestIdentity ServerIdentity = TestCertificates.CreateLeaf("lwm2m.example.test", Ca, dnsName: "lwm2m.example.test");
    private static readonly TestIdentity ClientIdentity = TestCertificates.CreateLeaf("urn:imei:490154203237518", Ca);

    private static DtlsServerTransport StartServer(params X509Certificate[] trustedClients) =>
        DtlsServerTransport.Bind(Loopback.AnyPort, new DtlsServerOptions
        {
            Certificate = ServerIdentity.Credentials(),
            TrustedClientCertificates = trustedClients.Length == 0 ? [Ca.Certificate] : trustedClients,
        });

    private static DtlsClientOptions ClientOptions(DtlsCertificateUsage usage = DtlsCertificateUsage.TrustAnchorAssertion, X509Certificate? given = null,
        string? serverName = "lwm2m.example.test", DtlsCipherSuite? suite = null, TestIdentity? client = null) => new()
    {
        Certificate = (client ?? ClientIdentity).Credentials(),
        ServerCertificate = given ?? Ca.Certificate,
        CertificateUsage = usage,
        ServerName = serverName,
        CipherSuites = suite is null ? null : [suite.Value],
        HandshakeTimeout = TimeSpan.FromSeconds(10),
    };

    [Theory]
    [InlineData(DtlsCipherSuite.EcdheEcdsaWithAes128Ccm8)]
    [InlineData(DtlsCipherSuite.EcdheEcdsaWithAes128GcmSha256)]
    public async Task Client_fetches_a_resource_with_each_certificate_suite_and_the_server_maps_its_common_name(DtlsCipherSuite suite)
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = StartServer();

        DtlsFetch fetch = await RawCoap.FetchOverNewSessionAsync(server, ClientOptions(suite: suite), "3/0", bound.Token);

        Assert.Equal("hello /3/0", fetch.Payload);
        Assert.Equal(suite, fetch.Server.CipherSuite);
        Assert.Equal("lwm2m.example.test", fetch.Server.CommonName);
        Assert.Equal("urn:imei:490154203237518", fetch.Client.CommonName);
        Assert.Null(fetch.Client.PskIdentity);
    }

    [Fact]
    public async Task Pinned_server_certificate_is_accepted_with_usage_3()
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = StartServer();

        await using DtlsClientTransport client = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint.EndPoint,
            ClientOptions(DtlsCertificateUsage.DomainIssuedCertificate, ServerIdentity.Certificate, serverName: "ignored.for.usage3"), bound.Token);

        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task Server_certificate_from_another_ca_fails_as_untrusted()
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = StartServer();
        TestIdentity otherCa = TestCertificates.CreateCa("Some Other CA");

        var error = await Assert.ThrowsAsync<DtlsException>(async () =>
            await DtlsClientTransport.ConnectAsync(server.LocalEndPoint.EndPoint, ClientOptions(given: otherCa.Certificate), bound.Token));

        Assert.Equal(DtlsErrorKind.UntrustedCertificate, error.Kind);
    }

    [Fact]
    public async Task A_different_pinned_certificate_fails_as_untrusted_with_usage_3()
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = StartServer();
        TestIdentity impostor = TestCertificates.CreateLeaf("lwm2m.example.test", Ca, dnsName: "lwm2m.example.test");

        var error = await Assert.ThrowsAsync<DtlsException>(async () =>
            await DtlsClientTransport.ConnectAsync(server.LocalEndPoint.EndPoint,
                ClientOptions(DtlsCertificateUsage.DomainIssuedCertificate, impostor.Certificate), bound.Token));

        Assert.Equal(DtlsErrorKind.UntrustedCertificate, error.Kind);
    }

    [Fact]
    public async Task Server_certificate_for_another_host_fails_with_a_host_name_mismatch()
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = StartServer();

        var error = await Assert.ThrowsAsync<DtlsException>(async () =>
            await DtlsClientTransport.ConnectAsync(server.LocalEndPoint.EndPoint, ClientOptions(serverName: "evil.example.test"), bound.Token));

        Assert.Equal(DtlsErrorKind.HostNameMismatch, error.Kind);
    }

    [Fact]
    public async Task Client_certificate_the_server_does_not_trust_is_refused()
    {
        using var bound = Loopback.SafetyBound();
        TestIdentity otherCa = TestCertificates.CreateCa("Client CA the server does not know");
        await using DtlsServerTransport server = StartServer(otherCa.Certificate);
        var failed = new TaskCompletionSource<DtlsErrorKind>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.HandshakeFailed += (_, e) => failed.TrySetResult(e.Error.Kind);

        var error = await Assert.ThrowsAsync<DtlsException>(async () =>
            await DtlsClientTransport.ConnectAsync(server.LocalEndPoint.EndPoint, ClientOptions(), bound.Token));

        Assert.Equal(DtlsErrorKind.UntrustedCertificate, error.Kind);
        Assert.Equal(DtlsErrorKind.UntrustedCertificate, await failed.Task.WaitAsync(bound.Token));
    }

    [Fact]
    public void Credentials_load_from_pem_and_from_der_alike()
    {
        var fromPem = DtlsCertificateCredentials.Load(Encoding.ASCII.GetBytes(ClientIdentity.CertificatePem), Encoding.ASCII.GetBytes(ClientIdentity.PrivateKeyPem));
        byte[] pkcs8 = Org.BouncyCastle.Pkcs.PrivateKeyInfoFactory.CreatePrivateKeyInfo(ClientIdentity.Keys.Private).GetDerEncoded();
        var fromDer = DtlsCertificateCredentials.Load(ClientIdentity.Certificate.GetEncoded(), pkcs8);

        Assert.Equal(ClientIdentity.Certificate, fromPem.Chain[0]);
        Assert.Equal(ClientIdentity.Certificate, fromDer.Chain[0]);
        Assert.Equal(fromPem.PrivateKey.D, fromDer.PrivateKey.D);
    }
}

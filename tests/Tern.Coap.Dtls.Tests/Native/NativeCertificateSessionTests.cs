using System.Text;
using Tern.Coap.Dtls.Tests.Support;
using Tern.Coap.Timing;
using Xunit.Abstractions;

namespace Tern.Coap.Dtls.Tests.Native;

/// <summary>
/// Tern's BouncyCastle client against the native engine with ECDSA P-256 certificates: both suites, the cookie round trip
/// in front of every handshake, and resumption of a certificate session with the client's certificate still on record.
/// </summary>
public sealed class NativeCertificateSessionTests(ITestOutputHelper output)
{
    internal static readonly TestIdentity Ca = TestCertificates.CreateCa("Native Cert CA");
    internal static readonly TestIdentity ServerIdentity = TestCertificates.CreateLeaf("native.example.test", Ca, dnsName: "native.example.test");
    internal static readonly TestIdentity ClientIdentity = TestCertificates.CreateLeaf("urn:imei:356938035643809", Ca);

    internal static DtlsServerTransport StartServer(TimeProvider? time = null, int maxHandshakes = 32, bool requireClientCertificate = true,
        int sessionCacheSize = 100) =>
        DtlsServerTransport.Bind(Loopback.AnyPort, new DtlsServerOptions
        {
            Certificate = ServerIdentity.Credentials(),
            TrustedClientCertificates = [Ca.Certificate],
            RequireClientCertificate = requireClientCertificate,
            TimeProvider = time ?? TimeProvider.System,
            MaxConcurrentHandshakes = maxHandshakes,
            SessionCacheSize = sessionCacheSize,
        });

    internal static DtlsClientOptions ClientOptions(DtlsCipherSuite? suite = null, DtlsCertificateCredentials? credentials = null) => new()
    {
        Certificate = credentials ?? ClientIdentity.Credentials(),
        ServerCertificate = Ca.Certificate,
        CertificateUsage = DtlsCertificateUsage.TrustAnchorAssertion,
        ServerName = "native.example.test",
        CipherSuites = suite is null ? null : [suite.Value],
        HandshakeTimeout = TimeSpan.FromSeconds(10),
    };

    [Theory]
    [InlineData(DtlsCipherSuite.EcdheEcdsaWithAes128Ccm8)]
    [InlineData(DtlsCipherSuite.EcdheEcdsaWithAes128GcmSha256)]
    public async Task Full_certificate_handshake_on_the_native_engine_passes_the_cookie_and_carries_coap(DtlsCipherSuite suite)
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = StartServer();
        var established = new List<DtlsSessionEventArgs>();
        server.SessionEstablished += (_, e) => { lock (established) { established.Add(e); } };

        DtlsFetch fetch = await RawCoap.FetchOverNewSessionAsync(server, ClientOptions(suite), "native-cert", bound.Token);

        Assert.Equal("hello /native-cert", fetch.Payload);
        Assert.Equal(suite, fetch.Client.CipherSuite);
        Assert.Equal(suite, fetch.Server.CipherSuite);
        Assert.Equal("native.example.test", fetch.Server.CommonName);
        Assert.Equal(ClientIdentity.Certificate, fetch.Client.Certificate);
        Assert.Null(fetch.Client.PskIdentity);
        Assert.InRange(server.HelloVerifyRequestsSent, 1, 2); // the native engine answered; BouncyCastle sends none
        Assert.Equal(1, server.CachedSessions);
        DtlsSessionEventArgs only = Assert.Single(established);
        Assert.False(only.Resumed);
        Assert.Equal("urn:imei:356938035643809", only.Info.CommonName);
    }

    [Fact]
    public async Task Without_use_native_certificates_the_certificate_handshake_stays_on_bouncy_castle()
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = DtlsServerTransport.Bind(Loopback.AnyPort, new DtlsServerOptions
        {
            Certificate = ServerIdentity.Credentials(),
            TrustedClientCertificates = [Ca.Certificate],
            UseNativeCertificates = false,
        });

        DtlsFetch fetch = await RawCoap.FetchOverNewSessionAsync(server, ClientOptions(), "classic", bound.Token);

        Assert.Equal("hello /classic", fetch.Payload);
        Assert.Equal("urn:imei:356938035643809", fetch.Client.CommonName);
        Assert.Equal(0, server.HelloVerifyRequestsSent);
        Assert.Equal(0, server.CachedSessions);
    }

    [Theory]
    [InlineData(DtlsCipherSuite.EcdheEcdsaWithAes128Ccm8)]
    [InlineData(DtlsCipherSuite.EcdheEcdsaWithAes128GcmSha256)]
    public async Task Reconnect_resumes_the_certificate_session_and_the_peer_still_names_the_client_certificate(DtlsCipherSuite suite)
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = StartServer();
        var events = new List<DtlsSessionEventArgs>();
        server.SessionEstablished += (_, e) => { lock (events) { events.Add(e); } };
        Task responder = RawCoap.RespondAsync(server, bound.Token);
        await using DtlsClientTransport client = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint.EndPoint, ClientOptions(suite), bound.Token);
        await RawCoap.RequestAsync(client, client.RemoteEndPoint, "first", bound.Token);
        long fullBytes = server.BytesSent;

        client.CloseSession(); // queue mode: the next exchange reconnects
        long before = server.BytesSent;
        await client.EnsureConnectedAsync(bound.Token);
        long abbreviatedBytes = server.BytesSent - before;
        var response = await RawCoap.RequestAsync(client, client.RemoteEndPoint, "second", bound.Token);

        output.WriteLine($"{suite}: server sent {fullBytes} bytes for the full handshake and first response, {abbreviatedBytes} for the abbreviated handshake");
        Assert.Equal("hello /second", Encoding.UTF8.GetString(response.Payload.Span));
        Assert.True(client.LastHandshakeResumed);
        Assert.Equal(1, server.SessionsResumed);
        Assert.True(abbreviatedBytes < fullBytes / 2, $"abbreviated {abbreviatedBytes} bytes, full {fullBytes}");
        Assert.True(server.TryGetPeerInfo(client.LocalEndPointOnLoopback(), out DtlsPeerInfo? info));
        Assert.Equal(ClientIdentity.Certificate, info!.Certificate);
        Assert.Equal(suite, info.CipherSuite);
        Assert.Equal("native.example.test", client.Server!.CommonName); // the client keeps the server's identity across resumption
        lock (events)
        {
            Assert.Equal([false, true], events.Select(e => e.Resumed));
            Assert.All(events, e => Assert.Equal("urn:imei:356938035643809", e.Info.CommonName));
        }
    }

    [Fact]
    public async Task A_certificate_session_is_not_resumed_once_the_client_certificate_has_expired()
    {
        using var bound = Loopback.SafetyBound();
        var clock = new VirtualTimeProvider(DateTimeOffset.UtcNow);
        TestIdentity shortLived = TestCertificates.CreateLeaf("short-lived-device", Ca, notAfter: DateTime.UtcNow.AddHours(2));
        await using DtlsServerTransport server = StartServer(clock);
        var failures = new List<DtlsErrorKind>();
        server.HandshakeFailed += (_, e) => { lock (failures) { failures.Add(e.Error.Kind); } };
        await using DtlsClientTransport client = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint.EndPoint,
            ClientOptions(credentials: shortLived.Credentials()), bound.Token);
        client.CloseSession();

        clock.Advance(TimeSpan.FromHours(3)); // within the session lifetime, past the certificate's end
        var error = await Assert.ThrowsAsync<DtlsException>(async () => await client.EnsureConnectedAsync(bound.Token));

        Assert.Equal(DtlsErrorKind.UntrustedCertificate, error.Kind);
        Assert.Equal(0, server.SessionsResumed);
        lock (failures)
        {
            Assert.Equal([DtlsErrorKind.UntrustedCertificate], failures);
        }
    }

    [Fact]
    public async Task Without_a_required_client_certificate_the_peer_has_no_certificate_and_still_resumes()
    {
        using var bound = Loopback.SafetyBound();
        await using DtlsServerTransport server = StartServer(requireClientCertificate: false);
        Task responder = RawCoap.RespondAsync(server, bound.Token);
        await using DtlsClientTransport client = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint.EndPoint, ClientOptions(), bound.Token);

        client.CloseSession();
        var response = await RawCoap.RequestAsync(client, client.RemoteEndPoint, "anonymous", bound.Token);

        Assert.Equal("hello /anonymous", Encoding.UTF8.GetString(response.Payload.Span));
        Assert.True(client.LastHandshakeResumed);
        Assert.True(server.TryGetPeerInfo(client.LocalEndPointOnLoopback(), out DtlsPeerInfo? info));
        Assert.Null(info!.Certificate);
        Assert.Equal(DtlsCipherSuite.EcdheEcdsaWithAes128Ccm8, info.CipherSuite);
    }

    [Fact]
    public async Task A_server_with_psk_and_certificates_runs_both_kinds_on_the_native_engine_and_counts_them_together()
    {
        using var bound = Loopback.SafetyBound();
        byte[] key = Loopback.Key("00112233445566778899aabbccddeeff");
        await using DtlsServerTransport server = DtlsServerTransport.Bind(Loopback.AnyPort, new DtlsServerOptions
        {
            PskStore = new DtlsPskStore().Set("device-1", key),
            Certificate = ServerIdentity.Credentials(),
            TrustedClientCertificates = [Ca.Certificate],
        });
        Task responder = RawCoap.RespondAsync(server, bound.Token);
        await using DtlsClientTransport certificateClient = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint.EndPoint, ClientOptions(), bound.Token);
        await using DtlsClientTransport pskClient = await DtlsClientTransport.ConnectAsync(server.LocalEndPoint.EndPoint, DtlsPskTests.ClientOptions(), bound.Token);

        certificateClient.CloseSession();
        pskClient.CloseSession();
        await RawCoap.RequestAsync(certificateClient, certificateClient.RemoteEndPoint, "certificate", bound.Token); // the server saw the client's Finished
        await RawCoap.RequestAsync(pskClient, pskClient.RemoteEndPoint, "psk", bound.Token);

        Assert.True(server.HelloVerifyRequestsSent >= 4, $"{server.HelloVerifyRequestsSent} HelloVerifyRequests");
        Assert.Equal(2, server.SessionsResumed);
        Assert.Equal(2, server.CachedSessions);
        Assert.True(server.TryGetPeerInfo(certificateClient.LocalEndPointOnLoopback(), out DtlsPeerInfo? certificatePeer));
        Assert.True(server.TryGetPeerInfo(pskClient.LocalEndPointOnLoopback(), out DtlsPeerInfo? pskPeer));
        Assert.Equal("urn:imei:356938035643809", certificatePeer!.CommonName);
        Assert.Equal("device-1", pskPeer!.PskIdentity);
    }
}

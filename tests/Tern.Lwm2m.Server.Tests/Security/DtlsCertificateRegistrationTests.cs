using System.Net;
using System.Text;
using Tern.Coap.Dtls;
using Tern.Coap.Dtls.Tests.Support;
using Tern.Lwm2m.Client;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Server.Registrations;

namespace Tern.Lwm2m.Server.Security;

/// <summary>
/// A Tern client with an X.509 certificate (LwM2M certificate mode: /0/x/3, /0/x/4, /0/x/5) against a Tern server that
/// maps clients to endpoints by their certificate's CN. Real loopback sockets; bounds are safety nets only.
/// </summary>
public sealed class DtlsCertificateRegistrationTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = DtlsWaits.Bound;
    private readonly TestIdentity _ca = TestCertificates.CreateCa("Tern test CA");
    private TestIdentity _serverIdentity = null!;
    private Lwm2mServer _server = null!;
    private Lwm2mServerTransport _transport = null!;

    public async Task InitializeAsync()
    {
        _serverIdentity = TestCertificates.CreateLeaf("tern-server", _ca, dnsName: "localhost");
        _transport = await Lwm2mServerTransport.BindAsync(new Lwm2mServerTransportOptions
        {
            CoapsEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Security = new InMemorySecurityStore(),
            Certificate = _serverIdentity.Credentials(),
            TrustedClientCertificates = [_ca.Certificate],
        });
        _server = await Lwm2mServer.StartAsync(_transport);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Lwm2mClientConfiguration CertificateConfiguration(TestIdentity client, Lwm2mServerTransport? server = null) => new(
        [new Lwm2mSecurityInstance(0, $"coaps://127.0.0.1:{(server ?? _transport).CoapsEndPoint!.Value.EndPoint.Port}", false, Lwm2mSecurityMode.Certificate)
        {
            ShortServerId = 1,
            PublicKeyOrIdentity = Encoding.ASCII.GetBytes(client.CertificatePem),
            ServerPublicKey = _serverIdentity.Certificate.GetEncoded(), // DER; usage 3 pins it
            SecretKey = Encoding.ASCII.GetBytes(client.PrivateKeyPem),
        }],
        [new Lwm2mServerInstance(0, 1, TimeSpan.FromSeconds(300))]);

    [Fact]
    public async Task Tern_client_registers_with_its_certificate_under_the_name_in_its_cn()
    {
        Lwm2mClientConfiguration configuration = CertificateConfiguration(TestCertificates.CreateLeaf("cert-dev", _ca));
        await using Lwm2mClientTransport transport = await Lwm2mClientTransport.CreateAsync(configuration);
        await using var client = new Lwm2mClient(configuration, new Lwm2mClientOptions("cert-dev"), transport.Endpoint, resolvePeer: transport.ResolvePeerAsync);
        DtlsPeerInfo? proven = null;
        _server.Registered += (_, e) => _server.TryGetDtlsPeer(e.Registration.Peer, out proven);

        await client.StartAsync();
        await DtlsWaits.NextEventAsync<Lwm2mRegistered>(client);

        Registration? registration = await _server.GetRegistrationAsync("cert-dev");
        Assert.NotNull(registration);
        Assert.Equal("cert-dev", proven!.CommonName);
        Assert.Equal(DtlsCipherSuite.EcdheEcdsaWithAes128Ccm8, proven.CipherSuite);
        Assert.Equal("tern-server", DtlsCertificates.GetCommonName(transport.Dtls!.Server!.Certificate!));
    }

    [Fact]
    public async Task A_certificate_client_that_closed_its_session_resumes_it_for_the_next_update_and_keeps_its_endpoint()
    {
        Lwm2mClientConfiguration configuration = CertificateConfiguration(TestCertificates.CreateLeaf("cert-dev", _ca));
        await using Lwm2mClientTransport transport = await Lwm2mClientTransport.CreateAsync(configuration);
        await using var client = new Lwm2mClient(configuration, new Lwm2mClientOptions("cert-dev"), transport.Endpoint, resolvePeer: transport.ResolvePeerAsync);
        await client.StartAsync();
        await DtlsWaits.NextEventAsync<Lwm2mRegistered>(client);

        transport.Dtls!.CloseSession(); // as after an outage or a queue-mode sleep without kept context
        Task<RegistrationEventArgs> updated = DtlsWaits.Next<RegistrationEventArgs>(h => _server.Updated += h);
        await client.TriggerUpdateAsync();
        Registration registration = (await updated).Registration;

        Assert.Equal(2, transport.Dtls.HandshakeCount);
        Assert.True(transport.Dtls.LastHandshakeResumed);
        Assert.Equal(1, _transport.Dtls!.SessionsResumed);
        Assert.Equal("cert-dev", registration.Endpoint);
        Assert.True(_server.TryGetDtlsPeer(registration.Peer, out DtlsPeerInfo? proven));
        Assert.Equal("cert-dev", proven!.CommonName); // the resumed session still names the client's certificate
    }

    [Fact]
    public async Task With_required_certificate_entries_only_listed_endpoints_register_with_a_certificate()
    {
        var security = new InMemorySecurityStore();
        Assert.True(security.TryPut(SecurityInfo.ForCertificate("listed-dev"), out _));
        Lwm2mServerTransport strictTransport = await Lwm2mServerTransport.BindAsync(new Lwm2mServerTransportOptions
        {
            CoapsEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Security = security,
            Certificate = _serverIdentity.Credentials(),
            TrustedClientCertificates = [_ca.Certificate],
        });
        await using Lwm2mServer strict = await Lwm2mServer.StartAsync(strictTransport, new Lwm2mServerOptions { RequireCertificateEntry = true });

        Lwm2mClientEvent listed = await RunAsync("listed-dev");
        Lwm2mClientEvent unlisted = await RunAsync("unlisted-dev");

        Assert.IsType<Lwm2mRegistered>(listed);
        Assert.Equal(Lwm2mDeferredReason.ServerRegistration, Assert.IsType<Lwm2mRegistrationDeferred>(unlisted).Reason);
        Assert.Equal(["listed-dev"], (await strict.GetRegistrationsAsync()).Select(r => r.Endpoint));

        async Task<Lwm2mClientEvent> RunAsync(string endpoint)
        {
            Lwm2mClientConfiguration configuration = CertificateConfiguration(TestCertificates.CreateLeaf(endpoint, _ca), strictTransport);
            await using Lwm2mClientTransport transport = await Lwm2mClientTransport.CreateAsync(configuration);
            await using var client = new Lwm2mClient(configuration, new Lwm2mClientOptions(endpoint), transport.Endpoint, resolvePeer: transport.ResolvePeerAsync);
            await client.StartAsync();
            return await DtlsWaits.NextEventAsync<Lwm2mClientEvent>(client, e => e is Lwm2mRegistered or Lwm2mRegistrationDeferred or Lwm2mRegistrationFailed);
        }
    }

    [Fact]
    public async Task A_certificate_issued_for_another_endpoint_is_refused_with_forbidden()
    {
        Lwm2mClientConfiguration configuration = CertificateConfiguration(TestCertificates.CreateLeaf("someone-else", _ca));
        await using Lwm2mClientTransport transport = await Lwm2mClientTransport.CreateAsync(configuration);
        await using var client = new Lwm2mClient(configuration, new Lwm2mClientOptions("cert-dev"), transport.Endpoint, resolvePeer: transport.ResolvePeerAsync);

        await client.StartAsync();
        Lwm2mClientEvent refusal = await DtlsWaits.NextEventAsync<Lwm2mClientEvent>(client, e => e is Lwm2mRegistrationDeferred or Lwm2mRegistrationFailed);

        Assert.Equal(Lwm2mDeferredReason.ServerRegistration, Assert.IsType<Lwm2mRegistrationDeferred>(refusal).Reason);
        Assert.Empty(await _server.GetRegistrationsAsync());
    }

    [Fact]
    public async Task A_client_pinning_another_server_certificate_fails_the_handshake_as_untrusted()
    {
        TestIdentity impostor = TestCertificates.CreateLeaf("tern-server", _ca, dnsName: "localhost");
        Lwm2mClientConfiguration configuration = CertificateConfiguration(TestCertificates.CreateLeaf("cert-dev", _ca));
        Lwm2mSecurityInstance pinned = configuration.Securities[0] with { ServerPublicKey = impostor.Certificate.GetEncoded() };
        await using Lwm2mClientTransport transport = await Lwm2mClientTransport.CreateAsync(pinned);
        var failed = new TaskCompletionSource<DtlsException>(TaskCreationOptions.RunContinuationsAsynchronously);
        transport.Dtls!.HandshakeFailed += (_, e) => failed.TrySetResult(e);

        await Assert.ThrowsAsync<DtlsException>(async () => await transport.Dtls.EnsureConnectedAsync(new CancellationTokenSource(Bound).Token));

        Assert.Equal(DtlsErrorKind.UntrustedCertificate, (await failed.Task.WaitAsync(Bound)).Kind);
    }
}

using System.Text;
using Org.BouncyCastle.X509;
using Tern.Coap.Dtls;
using Tern.Coap.Dtls.Tests.Support;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Server.Bootstrap;
using Tern.Lwm2m.Server.Registrations;

namespace Tern.Lwm2m.Server.Security;

/// <summary>
/// Certificate bootstrap end to end: the client bootstraps over DTLS with its PSK, the bootstrap server provisions
/// certificate mode for the LwM2M server (client certificate, private key, server certificate, certificate usage),
/// and the client registers over DTLS with that certificate. The LwM2M server learns of the endpoint only through the
/// provisioning link. Real loopback sockets; bounds are safety nets only.
/// </summary>
/// <remarks>
/// <code>
///  client                         bootstrap server (DTLS PSK)               LwM2M server (DTLS certificate, CA)
///    |                              |  configuration set: link puts "e2e-dev: certificate" -> dm store
///    |== handshake, PSK "e2e-bs" ==>|                                          |
///    |-- POST /bs?ep=e2e-dev ------>|  2.04                                    |
///    |<-- DELETE /, PUT /0/1 (mode 2, /3 cert, /4 server cert, /5 key, /15 3), PUT /1/0, POST /bs
///    |============ handshake, ECDHE-ECDSA, client certificate CN=e2e-dev ====>|  chains to the CA
///    |-- POST /rd?ep=e2e-dev ----------------------------------------------->|  CN is the endpoint: 2.01
/// </code>
/// </remarks>
public sealed class DtlsCertificateBootstrapEndToEndTests : DtlsBootstrapFixture
{
    private readonly TestIdentity _ca = TestCertificates.CreateCa("Tern e2e CA");
    private readonly TestIdentity _serverIdentity;

    public DtlsCertificateBootstrapEndToEndTests() => _serverIdentity = TestCertificates.CreateLeaf("tern-server", _ca, dnsName: "localhost");

    protected override (DtlsCertificateCredentials Certificate, X509Certificate Trusted)? ServerCertificate => (_serverIdentity.Credentials(), _ca.Certificate);

    private BootstrapConfiguration CertificateAccount(TestIdentity client) => BootstrapConfiguration.ForCertificateServer(ServerUri, 1, TimeSpan.FromMinutes(5),
        client.Certificate.GetEncoded(), Encoding.ASCII.GetBytes(client.PrivateKeyPem), _serverIdentity.Certificate.GetEncoded(), certificateUsage: 3);

    [Fact]
    public async Task Client_bootstraps_with_its_psk_and_registers_with_the_provisioned_certificate()
    {
        Assert.Empty(ServerSecurity.GetAll());
        await Bootstrap.Store.SetAsync(Endpoint, CertificateAccount(TestCertificates.CreateLeaf(Endpoint, _ca)));
        Task<BootstrapSessionEventArgs> session = DtlsWaits.Next<BootstrapSessionEventArgs>(h => Bootstrap.SessionEnded += h);
        Task<RegistrationEventArgs> registered = DtlsWaits.Next<RegistrationEventArgs>(h => Server.Registered += h);

        await using DtlsTestDevice device = await DtlsTestDevice.StartAsync(Endpoint, BootstrapOnly(BootstrapKey));
        BootstrapSessionEventArgs bootstrapped = await session;
        Registration registration = (await registered).Registration;
        await device.NextAsync<Lwm2mRegistered>();

        Assert.True(bootstrapped.Success, bootstrapped.Failure);
        Assert.True(Server.TryGetDtlsPeer(registration.Peer, out DtlsPeerInfo? proven));
        Assert.Equal((Endpoint, (string?)null, DtlsCipherSuite.EcdheEcdsaWithAes128Ccm8), (proven!.CommonName, proven.PskIdentity, proven.CipherSuite));
        Assert.Equal([SecurityInfo.ForCertificate(Endpoint)], Link.Provisioned);
        Lwm2mSecurityInstance provisioned = device.Client.Configuration.Securities.Single(s => !s.IsBootstrapServer);
        Assert.Equal((ServerUri, Lwm2mSecurityMode.Certificate, (byte?)3), (provisioned.ServerUri, provisioned.SecurityMode, provisioned.CertificateUsage));
        Assert.Equal(_serverIdentity.Certificate.GetEncoded(), provisioned.ServerPublicKey.ToArray());
        Assert.Empty(device.Failures);
    }

    [Fact]
    public async Task A_provisioned_certificate_from_an_unknown_ca_is_refused_at_the_handshake_and_never_registered()
    {
        TestIdentity stranger = TestCertificates.CreateLeaf(Endpoint, TestCertificates.CreateCa("Unknown CA"));
        await Bootstrap.Store.SetAsync(Endpoint, CertificateAccount(stranger));
        Task<DtlsHandshakeFailedEventArgs> serverSide = DtlsWaits.Next<DtlsHandshakeFailedEventArgs>(h => ServerTransport.Dtls!.HandshakeFailed += h);

        await using DtlsTestDevice device = await DtlsTestDevice.StartAsync(Endpoint, BootstrapOnly(BootstrapKey));
        await device.NextAsync<Lwm2mBootstrapped>();
        Lwm2mRegistrationDeferred deferred = await device.NextAsync<Lwm2mRegistrationDeferred>();

        Assert.Equal(DtlsErrorKind.UntrustedCertificate, (await serverSide).Error.Kind);
        Assert.Equal(Lwm2mDeferredReason.ServerConnect, deferred.Reason);
        Assert.Empty(await Server.GetRegistrationsAsync());
    }

    [Fact]
    public async Task Deleting_the_configuration_takes_the_certificate_entry_back_out()
    {
        await Bootstrap.Store.SetAsync(Endpoint, CertificateAccount(TestCertificates.CreateLeaf(Endpoint, _ca)));
        Assert.True(ServerSecurity.GetByEndpoint(Endpoint)!.UsesCertificate);

        Assert.True(await Bootstrap.Store.RemoveAsync(Endpoint));

        Assert.Null(ServerSecurity.GetByEndpoint(Endpoint));
    }
}

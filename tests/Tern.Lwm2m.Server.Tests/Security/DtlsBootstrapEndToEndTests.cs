using System.Text;
using Tern.Coap.Dtls;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Bootstrap;

namespace Tern.Lwm2m.Server.Security;

/// <summary>
/// A Tern client that starts with only a bootstrap account (coaps, PSK) against the Tern bootstrap server and the Tern
/// LwM2M server, both on DTLS over real loopback sockets, each with its own security store. The bootstrap server
/// provisions the PSK the client then registers with, and the provisioning link gives it to the LwM2M server.
/// </summary>
/// <remarks>
/// <code>
///  client                         bootstrap server (DTLS, bs store)         LwM2M server (DTLS, dm store)
///    |                              |  configuration set: link puts "e2e-dm" -> dm store
///    |== handshake, PSK "e2e-bs" ==>|                                          |
///    |-- POST /bs?ep=e2e-dev ------>|  identity belongs to e2e-dev: 2.04       |
///    |<-- DELETE /, PUT /0/1 (mode 0, "e2e-dm", key), PUT /1/0, POST /bs ----|  |
///    |============== handshake, PSK "e2e-dm" (provisioned) =================>|
///    |-- POST /rd?ep=e2e-dev ----------------------------------------------->|  2.01
/// </code>
/// </remarks>
public sealed class DtlsBootstrapEndToEndTests : DtlsBootstrapFixture
{
    private static readonly byte[] ServerKey = Convert.FromHexString("d0d1d2d3d4d5d6d7d8d9dadbdcdddedf");
    private static readonly byte[] WrongKey = Convert.FromHexString("00000000000000000000000000000001");

    [Fact]
    public async Task Client_bootstraps_over_dtls_and_registers_over_dtls_with_the_provisioned_psk()
    {
        await Bootstrap.Store.SetAsync(Endpoint, BootstrapConfiguration.ForPskServer(ServerUri, 1, TimeSpan.FromMinutes(5), "e2e-dm", ServerKey));
        Task<BootstrapSessionEventArgs> session = DtlsWaits.Next<BootstrapSessionEventArgs>(h => Bootstrap.SessionEnded += h);
        Task<Registrations.RegistrationEventArgs> registered = DtlsWaits.Next<Registrations.RegistrationEventArgs>(h => Server.Registered += h);

        await using DtlsTestDevice device = await DtlsTestDevice.StartAsync(Endpoint, BootstrapOnly(BootstrapKey));
        BootstrapSessionEventArgs bootstrapped = await session;
        Registrations.Registration registration = (await registered).Registration;
        await device.NextAsync<Lwm2mRegistered>();

        Assert.True(bootstrapped.Success, bootstrapped.Failure);
        Assert.Equal(Endpoint, registration.Endpoint);
        Assert.True(Server.TryGetDtlsPeer(registration.Peer, out DtlsPeerInfo? proven));
        Assert.Equal("e2e-dm", proven!.PskIdentity);
        Lwm2mSecurityInstance provisioned = device.Client.Configuration.Securities.Single(s => !s.IsBootstrapServer);
        Assert.Equal((ServerUri, Lwm2mSecurityMode.PreSharedKey, "e2e-dm"), (provisioned.ServerUri, provisioned.SecurityMode, Encoding.UTF8.GetString(provisioned.PublicKeyOrIdentity.Span)));
        Assert.Equal(ServerKey, provisioned.SecretKey.ToArray());
        Assert.Equal(1, device.Transport.GetDtls(BootstrapUri)!.HandshakeCount); // the bootstrap ran over its own DTLS client, answering Finish included
        Assert.True(device.Transport.GetDtls(ServerUri)!.IsConnected);
        Assert.Empty(device.Failures);
        Assert.Equal([SecurityInfo.ForPsk(Endpoint, "e2e-dm", ServerKey)], Link.Provisioned); // the link, not the test, filled the dm store
    }

    [Fact]
    public async Task Client_with_a_wrong_bootstrap_key_fails_the_handshake_and_is_never_bootstrapped_or_registered()
    {
        await Bootstrap.Store.SetAsync(Endpoint, BootstrapConfiguration.ForPskServer(ServerUri, 1, TimeSpan.FromMinutes(5), "e2e-dm", ServerKey));
        Task<DtlsHandshakeFailedEventArgs> serverSide = DtlsWaits.Next<DtlsHandshakeFailedEventArgs>(h => BootstrapTransport.Dtls!.HandshakeFailed += h);
        int sessions = 0;
        Bootstrap.SessionEnded += (_, _) => Interlocked.Increment(ref sessions);

        await using DtlsTestDevice device = await DtlsTestDevice.StartAsync(Endpoint, BootstrapOnly(WrongKey));

        Assert.Equal(DtlsErrorKind.DecryptError, (await serverSide).Error.Kind);
        Assert.Equal(0, Volatile.Read(ref sessions));
        Assert.Empty(await Server.GetRegistrationsAsync());
        Assert.Equal(Lwm2mClientState.Bootstrap, device.Client.State);
    }

    [Fact]
    public async Task A_configuration_whose_key_contradicts_the_operators_entry_is_refused_and_never_handed_out()
    {
        Assert.True(ServerSecurity.TryPut(SecurityInfo.ForPsk(Endpoint, "e2e-dm", ServerKey), out _)); // the operator's entry

        BootstrapProvisioningResult result = await Link.TrySetAsync(Endpoint, BootstrapConfiguration.ForPskServer(ServerUri, 1, TimeSpan.FromMinutes(5), "e2e-dm", WrongKey));

        Assert.Contains("set by hand", result.Conflict, StringComparison.Ordinal);
        Assert.Equal(ServerKey, ServerSecurity.GetByEndpoint(Endpoint)!.PskKey.ToArray());
        Assert.Null(await Bootstrap.Store.GetAsync(Endpoint));
    }

    [Fact]
    public async Task A_wrongly_provisioned_key_is_refused_by_the_server_and_the_client_is_never_registered()
    {
        // A bootstrap server elsewhere (no link) hands out a key the LwM2M server's operator entry contradicts.
        Assert.True(ServerSecurity.TryPut(SecurityInfo.ForPsk(Endpoint, "e2e-dm", ServerKey), out _));
        await Link.Inner.SetAsync(Endpoint, BootstrapConfiguration.ForPskServer(ServerUri, 1, TimeSpan.FromMinutes(5), "e2e-dm", WrongKey));
        Task<DtlsHandshakeFailedEventArgs> serverSide = DtlsWaits.Next<DtlsHandshakeFailedEventArgs>(h => ServerTransport.Dtls!.HandshakeFailed += h);

        await using DtlsTestDevice device = await DtlsTestDevice.StartAsync(Endpoint, BootstrapOnly(BootstrapKey));
        await device.NextAsync<Lwm2mBootstrapped>();
        Lwm2mRegistrationDeferred deferred = await device.NextAsync<Lwm2mRegistrationDeferred>();

        Assert.Equal(DtlsErrorKind.DecryptError, (await serverSide).Error.Kind);
        Assert.Equal(Lwm2mDeferredReason.ServerConnect, deferred.Reason);
        lock (device.Failures)
        {
            Assert.Contains(device.Failures, f => f.Kind == DtlsErrorKind.DecryptError);
        }

        Assert.Empty(await Server.GetRegistrationsAsync());
    }

    [Theory]
    [InlineData(1, "RawPublicKey")]
    [InlineData(4, "CertificateWithEst")]
    public async Task A_provisioned_unsupported_security_mode_is_refused_at_bootstrap_finish_with_a_named_reason(int mode, string named)
    {
        BootstrapConfiguration psk = BootstrapConfiguration.ForPskServer(ServerUri, 1, TimeSpan.FromMinutes(5), "e2e-dm", ServerKey);
        var security = (Lwm2mObjectInstance)psk.Writes[0].Node;
        var unsupported = new Lwm2mObjectInstance(security.Id,
            [.. security.Resources.Select(r => r.Id == 2 ? new Lwm2mSingleResource(2, Lwm2mValue.FromInteger(mode)) : r)]);
        await Bootstrap.Store.SetAsync(Endpoint, psk with { Writes = [psk.Writes[0] with { Node = unsupported }, .. psk.Writes.Skip(1)] });
        Task<BootstrapSessionEventArgs> session = DtlsWaits.Next<BootstrapSessionEventArgs>(h => Bootstrap.SessionEnded += h);

        await using DtlsTestDevice device = await DtlsTestDevice.StartAsync(Endpoint, BootstrapOnly(BootstrapKey));
        Lwm2mBootstrapFinishRefused refused = await device.NextAsync<Lwm2mBootstrapFinishRefused>();
        BootstrapSessionEventArgs ended = await session;

        Assert.Contains($"security mode {named} is not supported", refused.Reason, StringComparison.Ordinal);
        Assert.False(ended.Success);
        Assert.Contains("not supported", ended.Failure, StringComparison.Ordinal);
        Assert.Equal(Lwm2mClientState.Bootstrap, device.Client.State);
        Assert.Null(device.Transport.GetDtls(ServerUri));
        Assert.Empty(await Server.GetRegistrationsAsync());
    }
}

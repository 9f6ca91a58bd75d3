using System.Text;
using Tern.Coap.Dtls.Tests.Support;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Security;

namespace Tern.Lwm2m.Server.Bootstrap;

/// <summary>The provisioning link: bootstrap configurations give the LwM2M server's store their credentials, and take back only their own.</summary>
public sealed class ProvisioningBootstrapStoreTests : IDisposable
{
    private const string Uri = "coaps://127.0.0.1:5684";
    private static readonly byte[] Key = [0xD0, 0xD1, 0xD2, 0xD3];
    private static readonly byte[] OtherKey = [0x01, 0x02];
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private readonly InMemoryBootstrapConfigurationStore _configurations = new();
    private readonly InMemorySecurityStore _security = new();
    private readonly ProvisioningBootstrapStore _link;
    private readonly List<BootstrapProvisioningResult> _changes = [];

    public ProvisioningBootstrapStoreTests()
    {
        _link = new ProvisioningBootstrapStore(_configurations, _security, BootstrapServerCredentials.CoapsPort(5684));
        _link.Changed += (_, e) => _changes.Add(e.Result);
    }

    public void Dispose() => _link.Dispose();

    private static BootstrapConfiguration Psk(string identity, byte[] key, string uri = Uri) => BootstrapConfiguration.ForPskServer(uri, 1, Lifetime, identity, key);

    private static BootstrapConfiguration Certificate(string commonName)
    {
        TestIdentity ca = TestCertificates.CreateCa("link CA");
        TestIdentity client = TestCertificates.CreateLeaf(commonName, ca);
        return BootstrapConfiguration.ForCertificateServer(Uri, 1, Lifetime, client.Certificate.GetEncoded(), Encoding.ASCII.GetBytes(client.PrivateKeyPem),
            TestCertificates.CreateLeaf("server", ca).Certificate.GetEncoded(), certificateUsage: 3);
    }

    [Fact]
    public async Task A_psk_configuration_gives_the_lwm2m_server_the_identity_and_key_it_provisions()
    {
        BootstrapProvisioningResult result = await _link.TrySetAsync("dev-1", Psk("dev-1-dm", Key));

        Assert.Equal(BootstrapProvisioningAction.Added, result.Action);
        SecurityInfo entry = _security.GetByPskIdentity("dev-1-dm")!;
        Assert.Equal("dev-1", entry.Endpoint);
        Assert.Equal(Key, entry.PskKey.ToArray());
        Assert.NotNull(await _configurations.GetAsync("dev-1"));
        Assert.Equal([entry], _link.Provisioned);
    }

    [Fact]
    public async Task A_certificate_configuration_gives_the_lwm2m_server_a_certificate_entry()
    {
        BootstrapProvisioningResult result = await _link.TrySetAsync("dev-c", Certificate("dev-c"));

        Assert.True(result.IsSuccess, result.Conflict);
        Assert.True(_security.GetByEndpoint("dev-c")!.UsesCertificate);
        Assert.Null(_security.GetByEndpoint("dev-c")!.PskIdentity);
    }

    [Fact]
    public async Task A_certificate_issued_for_another_name_is_refused_and_nothing_is_stored()
    {
        BootstrapProvisioningResult result = await _link.TrySetAsync("dev-c", Certificate("someone-else"));

        Assert.Equal(BootstrapProvisioningAction.Refused, result.Action);
        Assert.Contains("CN 'someone-else'", result.Conflict, StringComparison.Ordinal);
        Assert.Null(_security.GetByEndpoint("dev-c"));
        Assert.Null(await _configurations.GetAsync("dev-c"));
    }

    [Fact]
    public async Task Replacing_the_configuration_replaces_the_entry_the_link_added()
    {
        await _link.TrySetAsync("dev-1", Psk("dev-1-dm", Key));

        BootstrapProvisioningResult result = await _link.TrySetAsync("dev-1", Psk("dev-1-dm2", OtherKey));

        Assert.Equal(BootstrapProvisioningAction.Replaced, result.Action);
        Assert.Null(_security.GetByPskIdentity("dev-1-dm"));
        Assert.Equal(OtherKey, _security.GetByPskIdentity("dev-1-dm2")!.PskKey.ToArray());
    }

    [Fact]
    public async Task Deleting_the_configuration_removes_the_entry_the_link_added()
    {
        await _link.TrySetAsync("dev-1", Psk("dev-1-dm", Key));

        Assert.True(await _link.RemoveAsync("dev-1"));

        Assert.Null(_security.GetByEndpoint("dev-1"));
        Assert.Empty(_link.Provisioned);
        Assert.Equal([BootstrapProvisioningAction.Added, BootstrapProvisioningAction.Removed], _changes.Select(c => c.Action));
    }

    [Fact]
    public async Task Replacing_the_configuration_by_a_nosec_one_removes_the_entry_the_link_added()
    {
        await _link.TrySetAsync("dev-1", Psk("dev-1-dm", Key));

        BootstrapProvisioningResult result = await _link.TrySetAsync("dev-1", BootstrapConfiguration.ForServer("coap://127.0.0.1:5683", 1, Lifetime));

        Assert.Equal(BootstrapProvisioningAction.Removed, result.Action);
        Assert.Null(_security.GetByEndpoint("dev-1"));
    }

    [Fact]
    public async Task An_entry_changed_by_hand_after_the_link_added_it_survives_the_configurations_deletion()
    {
        await _link.TrySetAsync("dev-1", Psk("dev-1-dm", Key));
        Assert.True(_security.TryPut(SecurityInfo.ForPsk("dev-1", "by-hand", OtherKey), out _));

        await _link.RemoveAsync("dev-1");

        Assert.Equal("by-hand", _security.GetByEndpoint("dev-1")!.PskIdentity);
    }

    [Fact]
    public async Task An_entry_set_by_hand_with_other_credentials_is_never_overwritten()
    {
        Assert.True(_security.TryPut(SecurityInfo.ForPsk("dev-1", "by-hand", OtherKey), out _));

        BootstrapProvisioningResult result = await _link.TrySetAsync("dev-1", Psk("dev-1-dm", Key));

        Assert.Equal(BootstrapProvisioningAction.Refused, result.Action);
        Assert.Contains("set by hand", result.Conflict, StringComparison.Ordinal);
        Assert.Equal(OtherKey, _security.GetByEndpoint("dev-1")!.PskKey.ToArray());
        Assert.Null(await _configurations.GetAsync("dev-1"));
        Assert.Equal(BootstrapProvisioningAction.Refused, Assert.Single(_changes).Action);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await _link.SetAsync("dev-1", Psk("dev-1-dm", Key)));
    }

    [Fact]
    public async Task An_entry_set_by_hand_with_the_same_credentials_stays_the_operators_when_the_configuration_goes()
    {
        Assert.True(_security.TryPut(SecurityInfo.ForPsk("dev-1", "dev-1-dm", Key), out _));

        BootstrapProvisioningResult result = await _link.TrySetAsync("dev-1", Psk("dev-1-dm", Key));
        await _link.RemoveAsync("dev-1");

        Assert.Equal(BootstrapProvisioningAction.Unchanged, result.Action);
        Assert.Equal("dev-1-dm", _security.GetByEndpoint("dev-1")!.PskIdentity);
    }

    [Fact]
    public async Task A_psk_identity_that_belongs_to_another_endpoint_is_a_conflict()
    {
        Assert.True(_security.TryPut(SecurityInfo.ForPsk("dev-2", "shared-id", OtherKey), out _));

        BootstrapProvisioningResult result = await _link.TrySetAsync("dev-1", Psk("shared-id", Key));

        Assert.Contains("already belongs to endpoint 'dev-2'", result.Conflict, StringComparison.Ordinal);
        Assert.Null(_security.GetByEndpoint("dev-1"));
    }

    [Fact]
    public async Task Accounts_of_another_server_port_provision_nothing()
    {
        BootstrapProvisioningResult result = await _link.TrySetAsync("dev-1", Psk("dev-1-dm", Key, "coaps://127.0.0.1:6000"));

        Assert.Equal(BootstrapProvisioningAction.Unchanged, result.Action);
        Assert.Empty(_security.GetAll());
        Assert.NotNull(await _configurations.GetAsync("dev-1"));
    }

    [Fact]
    public async Task Configurations_stored_before_the_link_was_made_are_provisioned_by_sync()
    {
        await _configurations.SetAsync("dev-1", Psk("dev-1-dm", Key));
        await _configurations.SetAsync("dev-2", Certificate("not-dev-2"));

        IReadOnlyList<BootstrapProvisioningResult> conflicts = await _link.SyncAsync();

        Assert.Equal("dev-1", _security.GetByPskIdentity("dev-1-dm")!.Endpoint);
        Assert.Equal("dev-2", Assert.Single(conflicts).Endpoint);
        Assert.NotNull(await _configurations.GetAsync("dev-2"));
    }
}

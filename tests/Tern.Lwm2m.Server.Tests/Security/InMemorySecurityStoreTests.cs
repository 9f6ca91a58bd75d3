namespace Tern.Lwm2m.Server.Security;

public class InMemorySecurityStoreTests
{
    private static readonly byte[] Key = [1, 2, 3, 4];

    [Fact]
    public void Entry_is_found_by_endpoint_and_by_identity()
    {
        var store = new InMemorySecurityStore();

        Assert.True(store.TryPut(SecurityInfo.ForPsk("dev-1", "id-1", Key), out _));

        Assert.Equal("id-1", store.GetByEndpoint("dev-1")?.PskIdentity);
        Assert.Equal("dev-1", store.GetByPskIdentity("id-1")?.Endpoint);
        Assert.Null(store.GetByPskIdentity("dev-1"));
    }

    [Fact]
    public void An_identity_of_another_endpoint_is_refused_and_the_owner_keeps_it()
    {
        var store = new InMemorySecurityStore();
        store.TryPut(SecurityInfo.ForPsk("dev-1", "shared", Key), out _);

        bool put = store.TryPut(SecurityInfo.ForPsk("dev-2", "shared", [9]), out string? conflict);

        Assert.False(put);
        Assert.Contains("dev-1", conflict, StringComparison.Ordinal);
        Assert.Equal("dev-1", store.GetByPskIdentity("shared")?.Endpoint);
        Assert.Null(store.GetByEndpoint("dev-2"));
    }

    [Fact]
    public void Replacing_an_entry_frees_its_old_identity()
    {
        var store = new InMemorySecurityStore();
        store.TryPut(SecurityInfo.ForPsk("dev-1", "old", Key), out _);

        store.TryPut(SecurityInfo.ForPsk("dev-1", "new", Key), out _);

        Assert.Null(store.GetByPskIdentity("old"));
        Assert.Equal("dev-1", store.GetByPskIdentity("new")?.Endpoint);
        Assert.True(store.TryPut(SecurityInfo.ForPsk("dev-2", "old", Key), out _));
    }

    [Fact]
    public void Removed_entry_is_gone_from_both_indexes()
    {
        var store = new InMemorySecurityStore();
        store.TryPut(SecurityInfo.ForPsk("dev-1", "id-1", Key), out _);
        store.TryPut(SecurityInfo.ForCertificate("dev-2"), out _);

        Assert.True(store.Remove("dev-1"));
        Assert.False(store.Remove("dev-1"));

        Assert.Null(store.GetByPskIdentity("id-1"));
        Assert.Equal(["dev-2"], store.GetAll().Select(s => s.Endpoint));
    }

    [Fact]
    public void Entries_compare_keys_by_content_and_never_print_them()
    {
        var one = SecurityInfo.ForPsk("dev-1", "id-1", [0xAB, 0xCD]);

        Assert.Equal(one, SecurityInfo.ForPsk("dev-1", "id-1", [0xAB, 0xCD]));
        Assert.NotEqual(one, SecurityInfo.ForPsk("dev-1", "id-1", [0xAB, 0xCE]));
        Assert.DoesNotContain("ab", one.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Empty_credentials_are_refused_when_built()
    {
        Assert.Throws<ArgumentException>(() => SecurityInfo.ForPsk("dev", "id", []));
        Assert.Throws<ArgumentException>(() => SecurityInfo.ForPsk("dev", "", Key));
        Assert.Throws<ArgumentException>(() => SecurityInfo.ForCertificate(""));
    }
}

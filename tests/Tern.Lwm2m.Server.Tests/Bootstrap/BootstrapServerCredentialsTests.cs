using System.Text;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Security;

namespace Tern.Lwm2m.Server.Bootstrap;

/// <summary>Which credentials a bootstrap configuration provisions for an LwM2M server's account.</summary>
public sealed class BootstrapServerCredentialsTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private static Lwm2mObjectInstance Account(int id, string uri, bool bootstrap, int mode, byte[] identity, byte[] key) => new(id,
    [
        new Lwm2mSingleResource(0, Lwm2mValue.FromString(uri)),
        new Lwm2mSingleResource(1, Lwm2mValue.FromBoolean(bootstrap)),
        new Lwm2mSingleResource(2, Lwm2mValue.FromInteger(mode)),
        new Lwm2mSingleResource(3, Lwm2mValue.FromOpaque(identity)),
        new Lwm2mSingleResource(5, Lwm2mValue.FromOpaque(key)),
    ]);

    private static BootstrapConfiguration With(params Lwm2mObjectInstance[] accounts) =>
        new() { Writes = [.. accounts.Select(a => new BootstrapWrite(new Lwm2mPath(0, a.Id), a))] };

    private static SecurityInfo? Find(BootstrapConfiguration configuration, Func<string, bool>? serves = null)
    {
        Assert.True(BootstrapServerCredentials.TryFind("dev", configuration, serves, out SecurityInfo? found, out string? problem), problem);
        return found;
    }

    private static string Problem(BootstrapConfiguration configuration)
    {
        Assert.False(BootstrapServerCredentials.TryFind("dev", configuration, null, out SecurityInfo? found, out string? problem));
        Assert.Null(found);
        return problem!;
    }

    [Fact]
    public void The_bootstrap_account_and_nosec_raw_key_and_est_accounts_provision_nothing()
    {
        Assert.Null(Find(With(Account(0, "coaps://bs:5784", true, 0, "bs"u8.ToArray(), [1]))));
        Assert.Null(Find(BootstrapConfiguration.ForServer("coap://lwm2m:5683", 1, Lifetime)));
        Assert.Null(Find(With(Account(1, "coaps://lwm2m", false, 1, [1], [2]))));
        Assert.Null(Find(With(Account(1, "coaps://lwm2m", false, 4, [1], [2]))));
    }

    [Fact]
    public void A_psk_account_written_resource_by_resource_is_found()
    {
        BootstrapConfiguration psk = BootstrapConfiguration.ForPskServer("coaps://lwm2m", 1, Lifetime, "id-1", [9, 9]);
        var resources = ((Lwm2mObjectInstance)psk.Writes[0].Node).Resources;
        var split = new BootstrapConfiguration { Writes = [.. resources.Select(r => new BootstrapWrite(new Lwm2mPath(0, 1, r.Id), r))] };

        Assert.Equal(SecurityInfo.ForPsk("dev", "id-1", [9, 9]), Find(split));
    }

    [Fact]
    public void A_whole_security_object_write_is_searched_too()
    {
        var whole = new BootstrapConfiguration { Writes = [new BootstrapWrite(new Lwm2mPath(0), new Lwm2mObject(0, [Account(3, "coaps://lwm2m", false, 0, "x"u8.ToArray(), [7])]))] };

        Assert.Equal(SecurityInfo.ForPsk("dev", "x", [7]), Find(whole));
    }

    [Theory]
    [InlineData("coaps://host", 5684, true)]
    [InlineData("coaps://host:5684", 5684, true)]
    [InlineData("coaps://[::1]:7000/", 7000, true)]
    [InlineData("coaps://host:7000", 5684, false)]
    [InlineData("coap://host:5684", 5684, false)]
    [InlineData("not a uri", 5684, false)]
    public void Coaps_port_picks_accounts_by_the_port_of_their_uri(string uri, int port, bool expected)
    {
        Assert.Equal(expected, BootstrapServerCredentials.CoapsPort(port)(uri));
    }

    [Fact]
    public void Unusable_accounts_are_problems_that_name_the_instance()
    {
        Assert.Contains("/0/1 of 'dev' is a PSK account without a key", Problem(With(Account(1, "coaps://a", false, 0, [1], []))), StringComparison.Ordinal);
        Assert.Contains("not UTF-8", Problem(With(Account(1, "coaps://a", false, 0, [0xFF, 0xFE], [1]))), StringComparison.Ordinal);
        Assert.Contains("/0/2/3 of 'dev' does not hold a readable X.509 certificate", Problem(With(Account(2, "coaps://a", false, 2, Encoding.ASCII.GetBytes("junk"), [1]))), StringComparison.Ordinal);
        Assert.Contains("different credentials", Problem(With(Account(1, "coaps://a", false, 0, "a"u8.ToArray(), [1]), Account(2, "coaps://b", false, 0, "b"u8.ToArray(), [1]))), StringComparison.Ordinal);
    }

    [Fact]
    public void Two_accounts_with_the_same_credentials_are_one_entry()
    {
        SecurityInfo? found = Find(With(Account(1, "coaps://a", false, 0, "a"u8.ToArray(), [1]), Account(2, "coaps://b", false, 0, "a"u8.ToArray(), [1])));

        Assert.Equal(SecurityInfo.ForPsk("dev", "a", [1]), found);
    }
}

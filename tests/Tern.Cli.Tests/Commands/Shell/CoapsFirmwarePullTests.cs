using Tern.Cli.Commands.Shell;
using Tern.Lwm2m.Client.Configuration;

namespace Tern.Cli.Tests.Commands.Shell;

/// <summary>Which of the client's accounts lends its DTLS credentials to a coaps pull.</summary>
public sealed class CoapsFirmwarePullTests
{
    private static Lwm2mSecurityInstance Account(ushort id, string uri, Lwm2mSecurityMode mode, bool bootstrap = false) =>
        new(id, uri, bootstrap, mode) { ShortServerId = bootstrap ? null : (ushort)(id + 100) };

    private static Lwm2mClientConfiguration Accounts(params Lwm2mSecurityInstance[] securities) => new(securities, []);

    [Fact]
    public void The_account_of_the_packages_host_and_port_is_chosen_before_the_first_server()
    {
        var configuration = Accounts(
            Account(0, "coaps://dm.example:5684", Lwm2mSecurityMode.PreSharedKey),
            Account(1, "coaps://files.example:5700", Lwm2mSecurityMode.Certificate));

        Assert.Equal(1, CoapsFirmwarePull.ChooseCredentials(configuration, new Uri("coaps://files.example:5700/fw/abc"))!.InstanceId);
    }

    [Fact]
    public void A_package_uri_without_a_port_matches_an_account_on_the_coaps_default_port()
    {
        var configuration = Accounts(
            Account(0, "coaps://dm.example:6000", Lwm2mSecurityMode.PreSharedKey),
            Account(1, "coaps://files.example", Lwm2mSecurityMode.PreSharedKey));

        Assert.Equal(1, CoapsFirmwarePull.ChooseCredentials(configuration, new Uri("coaps://files.example:5684/fw/abc"))!.InstanceId);
    }

    [Fact]
    public void Another_host_gets_the_first_secure_server_account_before_the_bootstrap_account()
    {
        var configuration = Accounts(
            Account(0, "coaps://bs.example:5784", Lwm2mSecurityMode.PreSharedKey, bootstrap: true),
            Account(1, "coap://plain.example", Lwm2mSecurityMode.NoSec),
            Account(2, "coaps://dm.example", Lwm2mSecurityMode.PreSharedKey));

        Assert.Equal(2, CoapsFirmwarePull.ChooseCredentials(configuration, new Uri("coaps://cdn.example/fw.bin"))!.InstanceId);
    }

    [Fact]
    public void A_client_with_only_a_secure_bootstrap_account_lends_that_one()
    {
        var configuration = Accounts(Account(3, "coaps://bs.example:5784", Lwm2mSecurityMode.PreSharedKey, bootstrap: true));

        Assert.Equal(3, CoapsFirmwarePull.ChooseCredentials(configuration, new Uri("coaps://cdn.example/fw.bin"))!.InstanceId);
    }

    [Fact]
    public void A_client_without_a_secure_account_has_no_credentials_to_lend()
    {
        var configuration = Accounts(Account(0, "coap://cdn.example", Lwm2mSecurityMode.NoSec));

        Assert.Null(CoapsFirmwarePull.ChooseCredentials(configuration, new Uri("coaps://cdn.example/fw.bin")));
        Assert.Null(CoapsFirmwarePull.ChooseCredentials(null, new Uri("coaps://cdn.example/fw.bin")));
    }
}

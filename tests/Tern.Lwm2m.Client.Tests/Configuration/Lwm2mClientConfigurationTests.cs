using System.Text;
using Tern.Lwm2m.Client.Configuration;

namespace Tern.Lwm2m.Client.Tests.Configuration;

public class Lwm2mClientConfigurationTests
{
    private static Lwm2mClientConfiguration Valid() => new(
        [new Lwm2mSecurityInstance(0, "coap://server:5683", false, Lwm2mSecurityMode.NoSec) { ShortServerId = 7 }],
        [new Lwm2mServerInstance(0, 7, TimeSpan.FromSeconds(300))]);

    [Fact]
    public void A_paired_security_and_server_instance_is_valid_and_forms_one_account()
    {
        var configuration = Valid();
        Assert.Empty(configuration.Validate());
        var account = Assert.Single(configuration.ServerAccounts);
        Assert.Equal((ushort)7, account.Server.ShortServerId);
        Assert.Null(configuration.BootstrapAccount);
    }

    [Fact]
    public void An_empty_configuration_is_refused_with_a_reason()
    {
        var errors = new Lwm2mClientConfiguration([], []).Validate();
        Assert.Contains(errors, e => e.Contains("no Security (0) instance", StringComparison.Ordinal));
    }

    [Fact]
    public void A_security_instance_without_a_matching_server_instance_is_reported()
    {
        var configuration = new Lwm2mClientConfiguration(
            [new Lwm2mSecurityInstance(0, "coap://server", false, Lwm2mSecurityMode.NoSec) { ShortServerId = 3 }], []);
        Assert.Contains(configuration.Validate(), e => e.Contains("no Server (1) instance has short server id 3", StringComparison.Ordinal));
    }

    [Fact]
    public void A_security_mode_that_contradicts_the_uri_scheme_is_reported()
    {
        var configuration = new Lwm2mClientConfiguration(
            [new Lwm2mSecurityInstance(0, "coaps://server", false, Lwm2mSecurityMode.NoSec) { ShortServerId = 1 }],
            [new Lwm2mServerInstance(0, 1, TimeSpan.FromSeconds(60))]);
        Assert.Contains(configuration.Validate(), e => e.StartsWith("/0/0", StringComparison.Ordinal) && e.Contains("coaps", StringComparison.Ordinal));
    }

    [Fact]
    public void Psk_mode_without_a_key_is_reported()
    {
        var configuration = new Lwm2mClientConfiguration(
            [new Lwm2mSecurityInstance(0, "coaps://server", true, Lwm2mSecurityMode.PreSharedKey) { PublicKeyOrIdentity = new byte[] { 1 } }], []);
        Assert.Contains(configuration.Validate(), e => e.Contains("PSK mode needs", StringComparison.Ordinal));
    }

    [Fact]
    public void Two_bootstrap_accounts_and_a_bad_binding_are_both_reported()
    {
        var configuration = new Lwm2mClientConfiguration(
            [new Lwm2mSecurityInstance(0, "coap://bs", true, Lwm2mSecurityMode.NoSec), new Lwm2mSecurityInstance(1, "coap://bs2", true, Lwm2mSecurityMode.NoSec),
             new Lwm2mSecurityInstance(2, "coap://dm", false, Lwm2mSecurityMode.NoSec) { ShortServerId = 1 }],
            [new Lwm2mServerInstance(0, 1, TimeSpan.FromSeconds(60), "X")]);
        var errors = configuration.Validate();
        Assert.Contains(errors, e => e.Contains("only one bootstrap server", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("/1/0/7", StringComparison.Ordinal));
    }

    [Fact]
    public void Json_configuration_is_read_with_defaults_for_absent_resources()
    {
        const string json = """
            { "securities": [ { "instanceId": 1, "serverUri": "coap://dm:5683", "securityMode": "NoSec", "shortServerId": 9 } ],
              "servers": [ { "instanceId": 0, "shortServerId": 9, "lifetime": 120, "binding": "UQ", "retryCount": 3, "retryTimer": 10 } ] }
            """;
        var result = Lwm2mConfigurationJson.Parse(Encoding.UTF8.GetBytes(json));
        Assert.True(result.IsSuccess, string.Join("; ", result.Errors));
        var server = Assert.Single(result.Configuration!.Servers);
        Assert.Equal(TimeSpan.FromSeconds(120), server.Lifetime);
        Assert.True(server.QueueMode);
        Assert.Equal(3u, server.CommunicationRetryCount);
        Assert.Equal(TimeSpan.FromSeconds(10), server.CommunicationRetryTimer);
        Assert.Equal(TimeSpan.FromDays(1), server.SequenceDelayTimer);
        Assert.True(server.BootstrapOnRegistrationFailure);
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("""{ "securities": [ { "instanceId": -1, "serverUri": "coap://x" } ] }""", "securities[0].instanceId")]
    [InlineData("""{ "securities": [ { "instanceId": 0 } ] }""", "securities[0].serverUri is missing")]
    [InlineData("""{ "securities": [ { "instanceId": 0, "serverUri": "coap://x", "securityMode": "Magic" } ] }""", "securityMode must be")]
    [InlineData("""{ "servers": [ { "instanceId": 0, "shortServerId": 1, "lifetime": "long" } ] }""", "servers[0].lifetime")]
    [InlineData("""{ "securities": [ { "instanceId": 0, "serverUri": "coap://x", "secretKey": "%%%" } ] }""", "base64")]
    public void Bad_json_yields_a_readable_error_instead_of_an_exception(string json, string expected)
    {
        var result = Lwm2mConfigurationJson.Parse(Encoding.UTF8.GetBytes(json));
        Assert.False(result.IsSuccess);
        Assert.Contains(result.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Random_bytes_never_throw_from_the_json_reader()
    {
        var random = new Random(4);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(0, 64)];
            random.NextBytes(bytes);
            Assert.False(Lwm2mConfigurationJson.Parse(bytes).IsSuccess);
        }
    }
}

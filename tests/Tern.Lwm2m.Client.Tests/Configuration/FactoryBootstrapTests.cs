using System.Buffers;
using System.Text;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Client.Tests.Engine;
using S = Tern.Lwm2m.Client.Engine.Lwm2mClientState;

namespace Tern.Lwm2m.Client.Tests.Configuration;

/// <summary>Factory bootstrap: the configuration comes from code or from a JSON file, and decides Registration or Bootstrap.</summary>
public sealed class FactoryBootstrapTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), "tern-factory-" + Guid.NewGuid().ToString("N") + ".json");

    public void Dispose() => File.Delete(_file);

    private Lwm2mClientConfiguration FromFile(string json)
    {
        File.WriteAllText(_file, json);
        var read = Lwm2mConfigurationJson.Parse(File.ReadAllBytes(_file));
        Assert.True(read.IsSuccess, string.Join(" ", read.Errors));
        return read.Configuration!;
    }

    [Fact]
    public void A_file_with_a_server_account_registers_with_that_server_directly()
    {
        var configuration = FromFile("""
            { "securities": [ { "instanceId": 1, "serverUri": "coap://file-dm.example:5683", "shortServerId": 9 } ],
              "servers": [ { "instanceId": 0, "shortServerId": 9, "lifetime": 90, "binding": "U" } ] }
            """);
        var h = new EngineHarness(configuration);
        h.StartClient();

        Assert.Equal([(S.Initial, S.Registration), (S.Registration, S.RegistrationSession)], h.Transitions);
        var register = Assert.Single(h.Sent).Request;
        Assert.Equal("coap://file-dm.example:5683", register.ServerUri);
        Assert.Contains("lt=90", register.Request.UriQueries);
    }

    [Fact]
    public void A_file_with_only_a_bootstrap_account_bootstraps_after_its_hold_off_time()
    {
        var configuration = FromFile("""
            { "securities": [ { "instanceId": 0, "serverUri": "coap://file-bs.example:5683", "bootstrapServer": true, "clientHoldOffTime": 12 } ] }
            """);
        var h = new EngineHarness(configuration);
        h.StartClient();
        h.RunUntil(TimeSpan.FromSeconds(12));

        Assert.Equal([(S.Initial, S.Bootstrap)], h.Transitions);
        var (at, request) = Assert.Single(h.Sent);
        Assert.Equal(TimeSpan.FromSeconds(12), at);
        Assert.Equal("coap://file-bs.example:5683", request.ServerUri);
        Assert.Equal(Lwm2mRequestKind.BootstrapRequest, request.Kind);
    }

    [Fact]
    public void Code_and_file_factory_configurations_behave_alike()
    {
        var fromCode = EngineHarness.BootstrapOnly();
        var buffer = new ArrayBufferWriter<byte>();
        Lwm2mConfigurationJson.Write(fromCode, buffer);
        var fromFile = FromFile(Encoding.UTF8.GetString(buffer.WrittenSpan));

        var a = new EngineHarness(fromCode);
        var b = new EngineHarness(fromFile);
        a.StartClient();
        b.StartClient();
        Assert.Equal(a.Transitions, b.Transitions);
        Assert.Equal(a.Sent.Select(s => (s.At, s.Request.ServerUri, s.Request.Request.UriPath)), b.Sent.Select(s => (s.At, s.Request.ServerUri, s.Request.Request.UriPath)));
    }

    [Fact]
    public void Access_control_instances_survive_a_json_round_trip()
    {
        var original = EngineHarness.Bootstrapped();
        var buffer = new ArrayBufferWriter<byte>();
        Lwm2mConfigurationJson.Write(original, buffer);
        var read = Lwm2mConfigurationJson.Parse(buffer.WrittenMemory);

        Assert.True(read.IsSuccess, string.Join(" ", read.Errors));
        var control = Assert.Single(read.Configuration!.AccessControls);
        Assert.Equal(original.AccessControls[0], control);
        Assert.Equal(Lwm2mAccessRights.Read | Lwm2mAccessRights.Write, Assert.Single(control.Acl).Rights);
    }

    [Theory]
    [InlineData("""{ "securities": [], "accessControls": 5 }""", "'accessControls' must be an array")]
    [InlineData("""{ "securities": [], "accessControls": [ { "instanceId": 0, "objectId": 3, "objectInstanceId": 0 } ] }""", "owner is missing")]
    [InlineData("""{ "securities": [], "accessControls": [ { "instanceId": 0, "objectId": 3, "objectInstanceId": 0, "owner": 1, "acl": [ { "shortServerId": 1, "rights": 70000 } ] } ] }""", "rights must be an integer")]
    public void Bad_access_control_json_is_an_error_not_an_exception(string json, string expected)
    {
        var read = Lwm2mConfigurationJson.Parse(Encoding.UTF8.GetBytes(json));
        Assert.False(read.IsSuccess);
        Assert.Contains(read.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Access_rights_outside_the_five_defined_bits_are_reported_by_validation()
    {
        var configuration = new Lwm2mClientConfiguration(EngineHarness.Bootstrapped().Securities, EngineHarness.Bootstrapped().Servers,
            [new Lwm2mAccessControlInstance(0, 3, 0, 202) { Acl = [new Lwm2mAclEntry(202, (Lwm2mAccessRights)32)] }]);
        Assert.Contains(configuration.Validate(), e => e.StartsWith("/2/0/2", StringComparison.Ordinal));
    }
}

namespace Tern.Cli.Tests.Commands;

public class ClientCommandOptionsTests
{
    [Theory]
    [InlineData("--endpoint", "dev")]                                                                        // no --server
    [InlineData("--server", "coap://127.0.0.1")]                                                             // no --endpoint
    [InlineData("--server", "http://127.0.0.1", "--endpoint", "dev")]
    [InlineData("--server", "127.0.0.1:5683", "--endpoint", "dev")]
    [InlineData("--server", "coaps://127.0.0.1", "--endpoint", "dev", "--psk-identity", "id")]              // key missing
    [InlineData("--server", "coaps://127.0.0.1", "--endpoint", "dev", "--psk-key", "0011")]                 // identity missing
    [InlineData("--server", "coaps://127.0.0.1", "--endpoint", "dev", "--psk-identity", "id", "--psk-key", "xyz1")]
    [InlineData("--server", "coaps://127.0.0.1", "--endpoint", "dev", "--psk-identity", "id", "--psk-key", "001")]
    [InlineData("--server", "coap://127.0.0.1", "--endpoint", "dev", "--lifetime", "-1")]
    [InlineData("--server", "coap://127.0.0.1", "--endpoint", " ")]
    [InlineData("--server", "coaps://127.0.0.1", "--endpoint", "dev", "--cert", "c.pem", "--key", "k.pem")]     // server cert missing
    [InlineData("--server", "coaps://127.0.0.1", "--endpoint", "dev", "--cert", "c.pem", "--key", "k.pem", "--server-cert", "s.pem", "--psk-identity", "id", "--psk-key", "00")]
    [InlineData("--server", "coap://127.0.0.1", "--endpoint", "dev", "--lwm2m-version", "1.3")]
    [InlineData("--server", "coap://127.0.0.1", "--endpoint", "dev", "--binding", "T")]
    [InlineData("--server", "coap://127.0.0.1", "--endpoint", "dev", "--binding", "Q")]
    [InlineData("--server", "coap://127.0.0.1", "--endpoint", "dev", "--format", "xml")]
    [InlineData("--server", "coap://127.0.0.1", "--endpoint", "dev", "--format", "senml-cbor", "--lwm2m-version", "1.0")]
    [InlineData("--server", "coap://127.0.0.1", "--endpoint", "dev", "--format", "lwm2m-cbor", "--lwm2m-version", "1.1")]
    public void Bad_options_are_parse_errors(params string[] arguments)
    {
        var parse = Program.BuildRoot().Parse(["client", .. arguments]);

        Assert.NotEmpty(parse.Errors);
    }

    [Theory]
    [InlineData("--server", "coap://127.0.0.1:5683", "--endpoint", "dev")]
    [InlineData("--server", "coaps://[::1]:5684", "--endpoint", "dev", "--psk-identity", "id", "--psk-key", "000102", "--lifetime", "60")]
    [InlineData("--server", "coap://127.0.0.1:5783", "--endpoint", "dev", "--bootstrap", "--state-dir", "/tmp/x")]
    [InlineData("--server", "coaps://127.0.0.1", "--endpoint", "dev", "--cert", "c.pem", "--key", "k.pem", "--server-cert", "s.pem")]
    [InlineData("--server", "coap://127.0.0.1", "--endpoint", "dev", "--lwm2m-version", "1.0", "--binding", "UQ", "--format", "tlv")]
    [InlineData("--server", "coap://127.0.0.1", "--endpoint", "dev", "--lwm2m-version", "1.2", "--format", "lwm2m-cbor")]
    [InlineData("--server", "coap://127.0.0.1", "--endpoint", "dev", "--format", "senml-json")]
    public void Good_options_parse(params string[] arguments)
    {
        var parse = Program.BuildRoot().Parse(["client", .. arguments]);

        Assert.Empty(parse.Errors);
    }

    [Fact]
    public void A_bad_version_is_one_line_naming_the_choices()
    {
        var parse = Program.BuildRoot().Parse(["client", "--server", "coap://127.0.0.1", "--endpoint", "dev", "--lwm2m-version", "2"]);

        Assert.Equal("--lwm2m-version '2' is not 1.0, 1.1 or 1.2", Assert.Single(parse.Errors).Message);
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("dev:id")]
    [InlineData("dev:id:zz")]
    [InlineData("dev:id:012")]
    [InlineData("dev::0011")]
    [InlineData("a:b:c:0011")]
    public void Bad_psk_entries_of_tern_server_are_parse_errors(string psk)
    {
        var parse = Program.BuildRoot().Parse(["server", "--psk", psk]);

        Assert.NotEmpty(parse.Errors);
    }

    [Fact]
    public void One_identity_for_two_endpoints_is_a_parse_error_of_tern_server()
    {
        var parse = Program.BuildRoot().Parse(["server", "--psk", "dev-1:shared:0011", "--psk", "dev-2:shared:2233"]);

        Assert.Contains(parse.Errors, e => e.Message.Contains("dev-1", StringComparison.Ordinal));
    }

    [Fact]
    public void Psk_entries_of_tern_server_become_security_entries()
    {
        var store = Tern.Cli.Commands.PskOption.ToStore(["dev-1:id-1:0a0b", "dev-2:id-2:0c0d"]);

        Assert.Equal("dev-1", store.GetByPskIdentity("id-1")?.Endpoint);
        Assert.Equal(new byte[] { 0x0c, 0x0d }, store.GetByEndpoint("dev-2")?.PskKey.ToArray());
    }
}

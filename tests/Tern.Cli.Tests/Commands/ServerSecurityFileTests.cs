using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Tern.Cli.Commands;
using Tern.Lwm2m.Server.Rest;
using Tern.Lwm2m.Server.Security;

namespace Tern.Cli.Tests.Commands;

/// <summary><c>tern server --security-file</c>, <c>--bootstrap-psk</c> and the bootstrap server's DTLS listener.</summary>
public sealed class ServerSecurityFileTests : IDisposable
{
    private const string GoodFile = """
        {
          // comments and trailing commas are allowed
          "server": [
            { "endpoint": "dev-1", "pskIdentity": "dev-1-dm", "pskKey": "00112233" },
            { "endpoint": "dev-2", "certificate": true },
          ],
          "bootstrap": [
            { "endpoint": "dev-1", "pskIdentity": "dev-1-bs", "pskKey": "A0A1" }
          ]
        }
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("tern-security-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string FileWith(string json)
    {
        string path = Path.Combine(_directory, "security.json");
        File.WriteAllText(path, json);
        return path;
    }

    private static ServerCommand.SecurityStores Load(string? file, string[]? psk = null, string[]? bootstrapPsk = null)
    {
        var error = new StringWriter();
        Assert.True(ServerCommand.TryLoadSecurity(file, psk ?? [], bootstrapPsk ?? [], error, out ServerCommand.SecurityStores stores), error.ToString());
        return stores;
    }

    private static string LoadError(string? file, string[]? psk = null, string[]? bootstrapPsk = null)
    {
        var error = new StringWriter();
        Assert.False(ServerCommand.TryLoadSecurity(file, psk ?? [], bootstrapPsk ?? [], error, out _));
        return error.ToString();
    }

    [Fact]
    public void Security_file_fills_the_server_and_the_bootstrap_stores()
    {
        ServerCommand.SecurityStores stores = Load(FileWith(GoodFile));

        Assert.Equal(["dev-1", "dev-2"], stores.Server.GetAll().Select(s => s.Endpoint));
        Assert.Equal(new byte[] { 0x00, 0x11, 0x22, 0x33 }, stores.Server.GetByPskIdentity("dev-1-dm")!.PskKey.ToArray());
        Assert.True(stores.Server.GetByEndpoint("dev-2")!.UsesCertificate);
        Assert.Equal("dev-1", stores.Bootstrap.GetByPskIdentity("dev-1-bs")!.Endpoint);
        Assert.Equal(new byte[] { 0xA0, 0xA1 }, stores.Bootstrap.GetByEndpoint("dev-1")!.PskKey.ToArray());
        Assert.Null(stores.Server.GetByPskIdentity("dev-1-bs"));
    }

    [Theory]
    [InlineData("""{"server":[{"endpoint":"a","pskIdentity":"i","pskKey":"0g"}]}""", "server[0] (endpoint 'a'): \"pskKey\" '0g' is not hexadecimal")]
    [InlineData("""{"server":[{"endpoint":"a","pskIdentity":"i","pskKey":"00"},{"endpoint":"b","pskIdentity":"i","pskKey":"01"}]}""", "server[1] (endpoint 'b'): PSK identity 'i' already belongs to endpoint 'a'")]
    [InlineData("""{"bootstrap":[{"endpoint":"a","certificate":true},{"endpoint":"a","certificate":true}]}""", "bootstrap[1] (endpoint 'a'): endpoint 'a' appears twice")]
    [InlineData("""{"server":[{"pskIdentity":"i","pskKey":"00"}]}""", "server[0]: \"endpoint\" is missing or empty")]
    [InlineData("""{"server":[{"endpoint":"a"}]}""", "server[0] (endpoint 'a'): give either \"pskIdentity\" and \"pskKey\", or \"certificate\": true")]
    [InlineData("""{"server":[{"endpoint":"a","pskIdentity":"i"}]}""", "server[0] (endpoint 'a'): a PSK entry needs both")]
    [InlineData("""{"server":[{"endpoint":"a","pskIdentity":"i","pskKey":"00","certificate":true}]}""", "server[0] (endpoint 'a'): give either")]
    [InlineData("""{"server":[{"endpoint":"a","psk_key":"00"}]}""", "server[0] (endpoint 'a'): unknown property \"psk_key\"")]
    [InlineData("""{"server":[{"endpoint":7}]}""", "server[0]: \"endpoint\" must be a string")]
    [InlineData("""{"server":[{"endpoint":"a","certificate":"yes"}]}""", "server[0] (endpoint 'a'): \"certificate\" must be true or false")]
    [InlineData("""{"server":["a"]}""", "server[0]: an entry must be an object")]
    [InlineData("""{"server":{}}""", "\"server\" must be an array")]
    [InlineData("""{"lwm2m":[]}""", "unknown section \"lwm2m\"")]
    [InlineData("""[]""", "the top level must be an object")]
    [InlineData("""{"server":[""", "not valid JSON")]
    public void A_bad_entry_is_one_line_naming_it(string json, string expected)
    {
        string path = FileWith(json);

        string error = LoadError(path);

        Assert.StartsWith($"tern server: --security-file {path}: ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void A_missing_file_is_reported_as_unreadable()
    {
        string error = LoadError(Path.Combine(_directory, "absent.json"));

        Assert.Contains("cannot read it", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Command_line_keys_go_on_top_of_the_file_and_conflicts_are_refused()
    {
        string path = FileWith(GoodFile);

        ServerCommand.SecurityStores stores = Load(path, psk: ["dev-3:dev-3-dm:0102"], bootstrapPsk: ["dev-1:dev-1-bs2:0304"]);
        string conflict = LoadError(path, psk: ["dev-9:dev-1-dm:0102"]);
        string badBootstrap = LoadError(null, bootstrapPsk: ["dev-1:id"]);

        Assert.Equal("dev-3", stores.Server.GetByPskIdentity("dev-3-dm")!.Endpoint);
        Assert.Equal("dev-1-bs2", stores.Bootstrap.GetByEndpoint("dev-1")!.PskIdentity);
        Assert.Contains("--psk dev-9:dev-1-dm:0102: PSK identity 'dev-1-dm' already belongs to endpoint 'dev-1'", conflict, StringComparison.Ordinal);
        Assert.Contains("--bootstrap-psk 'dev-1:id' must be ENDPOINT:IDENTITY:HEXKEY", badBootstrap, StringComparison.Ordinal);
    }

    [Fact]
    public void Changes_to_either_store_are_saved_back_and_read_again()
    {
        string path = FileWith(GoodFile);
        ServerCommand.SecurityStores stores = Load(path);

        Assert.True(stores.Server.TryPut(SecurityInfo.ForPsk("dev-4", "dev-4-dm", [9, 8]), out _));
        Assert.True(stores.Bootstrap.Remove("dev-1"));
        ServerCommand.SecurityStores reloaded = Load(path);

        Assert.Equal(["dev-1", "dev-2", "dev-4"], reloaded.Server.GetAll().Select(s => s.Endpoint));
        Assert.Equal(new byte[] { 9, 8 }, reloaded.Server.GetByEndpoint("dev-4")!.PskKey.ToArray());
        Assert.True(reloaded.Server.GetByEndpoint("dev-2")!.UsesCertificate);
        Assert.Empty(reloaded.Bootstrap.GetAll());
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void A_refused_change_leaves_the_file_as_it_was()
    {
        string path = FileWith(GoodFile);
        ServerCommand.SecurityStores stores = Load(path);

        Assert.False(stores.Server.TryPut(SecurityInfo.ForPsk("dev-5", "dev-1-dm", [1]), out _));
        Assert.False(stores.Server.Remove("nobody"));

        Assert.Equal(GoodFile, File.ReadAllText(path));
    }

    [Fact]
    public void Without_a_file_nothing_is_saved()
    {
        ServerCommand.SecurityStores stores = Load(null, psk: ["dev-1:id:00"]);

        Assert.Null(stores.File);
        Assert.IsType<InMemorySecurityStore>(stores.Server);
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task A_put_through_the_rest_api_is_written_to_the_file_and_the_bootstrap_dtls_listener_is_announced()
    {
        string path = FileWith(GoodFile);
        ServerCommand.SecurityStores stores = Load(path);
        var output = new Support.WatchingWriter();
        var input = new Support.TypedInput();
        var options = new TernServerHostOptions
        {
            CoapPort = 0, BootstrapPort = 0, HttpPort = 0, CoapsPort = 0, BootstrapCoapsPort = 0,
            Security = stores.Server, BootstrapSecurity = stores.Bootstrap,
        };
        Task<int> run = ServerCommand.RunAsync(options, input, output, CancellationToken.None, securityFile: stores.File);
        string banner = await output.LineContaining("REST API on").WaitAsync(TimeSpan.FromSeconds(60));
        string bootstrapDtls = await output.LineContaining("bootstrap DTLS on").WaitAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = new Uri(Regex.Match(banner, @"http://127\.0\.0\.1:\d+/").Value) };

        HttpResponseMessage put = await http.PutAsync("/api/bootstrap-security/dev-7",
            new StringContent("""{"pskIdentity":"dev-7-bs","pskKey":"0708"}""", Encoding.UTF8, "application/json"));
        input.Type("quit");
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        Assert.Matches(@"bootstrap DTLS on coaps://127\.0\.0\.1:\d+ with 1 entries", bootstrapDtls);
        Assert.Contains(output.Lines, l => l.Contains($"security entries from {path}", StringComparison.Ordinal));
        Assert.Equal("dev-7", Load(path).Bootstrap.GetByPskIdentity("dev-7-bs")!.Endpoint);
    }

    [Theory]
    [InlineData("--bootstrap-coaps-port", "70000")]
    [InlineData("--bootstrap-psk", "dev:id:xyz")]
    [InlineData("--bootstrap-psk", "dev:id:00", "--bootstrap-psk", "dev2:id:01")]
    [InlineData("--dtls-idle-timeout", "-1")]
    public void Bad_dtls_options_are_parse_errors(params string[] arguments)
    {
        Assert.NotEmpty(Program.BuildRoot().Parse(["server", .. arguments]).Errors);
    }

    [Fact]
    public void The_bootstrap_dtls_port_defaults_to_5784()
    {
        var parse = Program.BuildRoot().Parse(["server"]);

        Assert.Empty(parse.Errors);
        Assert.Equal(5784, parse.GetValue<int>("--bootstrap-coaps-port"));
        Assert.Equal(5684, parse.GetValue<int>("--coaps-port"));
        Assert.Equal(600, parse.GetValue<int>("--dtls-idle-timeout"));
    }
}

using System.CommandLine;
using System.Text.RegularExpressions;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Tern.Cli.Commands;
using Tern.Cli.Tests.Support;
using Tern.Coap.Dtls.Tests.Support;
using Tern.Lwm2m.Server.Security;

namespace Tern.Cli.Tests.Commands;

/// <summary>
/// <c>tern server --cert --key --client-ca --cert-endpoint</c>: a <c>tern client --cert --key --server-cert</c> registers
/// over coaps, and a certificate the server does not know is refused. Both commands run in process on free ports.
/// </summary>
public sealed class ServerCertificateTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("tern-server-cert-").FullName;
    private readonly TestIdentity _ca = TestCertificates.CreateCa("CLI server CA");
    private readonly TestIdentity _serverIdentity;

    public ServerCertificateTests() => _serverIdentity = TestCertificates.CreateLeaf("tern-server", _ca, dnsName: "localhost");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string content)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private string[] ServerArguments(params string[] extra) =>
    [
        "server", "--coap-port", "0", "--bootstrap-port", "0", "--http-port", "0", "--coaps-port", "0", "--bootstrap-coaps-port", "0",
        "--cert", Write("server.pem", _serverIdentity.CertificatePem), "--key", Write("server.key", _serverIdentity.PrivateKeyPem),
        "--client-ca", Write("ca.pem", _ca.CertificatePem), .. extra,
    ];

    private static ServerCommand.Prepared Prepare(string[] arguments)
    {
        ParseResult parse = Program.Parse(arguments);
        Assert.Empty(parse.Errors);
        var error = new StringWriter();
        Assert.True(ServerCommand.TryPrepare(parse, error, out ServerCommand.Prepared? prepared), error.ToString());
        return prepared!;
    }

    private static string PrepareError(string[] arguments)
    {
        ParseResult parse = Program.Parse(arguments);
        Assert.Empty(parse.Errors);
        var error = new StringWriter();
        Assert.False(ServerCommand.TryPrepare(parse, error, out _));
        return error.ToString();
    }

    /// <summary>Types quit into the client, then into the server; the server must exit 0. Returns the client's exit code.</summary>
    private static async Task<int> QuitBothAsync(TypedInput clientInput, Task<int> clientRun, TypedInput serverInput, Task<int> serverRun)
    {
        clientInput.Type("quit");
        int clientExit = await clientRun.WaitAsync(Bound);
        serverInput.Type("quit");
        Assert.Equal(0, await serverRun.WaitAsync(Bound));
        return clientExit;
    }

    /// <summary>Runs <c>tern server</c> with <paramref name="arguments"/> and returns its output, input, run and coaps port.</summary>
    private static async Task<(WatchingWriter Output, TypedInput Input, Task<int> Run, int CoapsPort)> StartServerAsync(string[] arguments)
    {
        ServerCommand.Prepared prepared = Prepare(arguments);
        var output = new WatchingWriter();
        var input = new TypedInput();
        Task<int> run = ServerCommand.RunAsync(prepared.Options, input, output, CancellationToken.None, securityFile: prepared.SecurityFile);
        string banner = await output.LineContaining("DTLS on coaps://").WaitAsync(Bound);
        return (output, input, run, int.Parse(Regex.Match(banner, @"coaps://127\.0\.0\.1:(\d+)").Groups[1].Value));
    }

    private ClientSettings Client(int port, string endpoint, TestIdentity identity) =>
        new($"coaps://127.0.0.1:{port}", endpoint, false, null, null, null, TimeSpan.FromSeconds(120))
        {
            CertificateFile = Write(endpoint + ".pem", identity.CertificatePem),
            PrivateKeyFile = Write(endpoint + ".key", identity.PrivateKeyPem),
            ServerCertificateFile = Write("pinned.pem", _serverIdentity.CertificatePem),
        };

    [Fact]
    public async Task Tern_client_with_a_certificate_registers_over_coaps_with_tern_server_and_its_certificate_flags()
    {
        (WatchingWriter server, TypedInput serverInput, Task<int> serverRun, int port) = await StartServerAsync(ServerArguments("--cert-endpoint", "cli-cert"));
        var clientOutput = new WatchingWriter();
        var clientInput = new TypedInput();

        Task<int> clientRun = ClientCommand.RunAsync(Client(port, "cli-cert", TestCertificates.CreateLeaf("cli-cert", _ca)), clientInput, clientOutput, CancellationToken.None);
        await clientOutput.LineContaining("registered    /rd/").WaitAsync(Bound);
        string registered = await server.LineContaining("registered    cli-cert").WaitAsync(Bound);
        Assert.Equal(ClientCommand.ExitOk, await QuitBothAsync(clientInput, clientRun, serverInput, serverRun));

        Assert.Contains("from 127.0.0.1:", registered, StringComparison.Ordinal);
        Assert.Contains(server.Lines, l => l.Contains("certificate   CN 'tern-server' on both DTLS listeners", StringComparison.Ordinal)
            && l.Contains("1 CA certificate(s)", StringComparison.Ordinal) && l.Contains("1 endpoint(s) may register", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_certificate_from_an_unknown_ca_is_refused_at_the_handshake_and_never_registered()
    {
        (WatchingWriter server, TypedInput serverInput, Task<int> serverRun, int port) = await StartServerAsync(ServerArguments("--cert-endpoint", "cli-cert"));
        TestIdentity stranger = TestCertificates.CreateLeaf("cli-cert", TestCertificates.CreateCa("Stranger CA"));
        var clientInput = new TypedInput();

        Task<int> clientRun = ClientCommand.RunAsync(Client(port, "cli-cert", stranger), clientInput, new WatchingWriter(), CancellationToken.None);
        string refused = await server.LineContaining("dtls-refused").WaitAsync(Bound);
        await QuitBothAsync(clientInput, clientRun, serverInput, serverRun);

        Assert.Contains("UntrustedCertificate", refused, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Lines, l => l.Contains("registered", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_certificate_from_the_ca_for_an_endpoint_not_listed_is_refused_and_never_registered()
    {
        (WatchingWriter server, TypedInput serverInput, Task<int> serverRun, int port) = await StartServerAsync(ServerArguments("--cert-endpoint", "cli-cert"));
        var clientOutput = new WatchingWriter();
        var clientInput = new TypedInput();

        Task<int> clientRun = ClientCommand.RunAsync(Client(port, "not-listed", TestCertificates.CreateLeaf("not-listed", _ca)), clientInput, clientOutput, CancellationToken.None);
        string deferred = await clientOutput.LineContaining("deferred").WaitAsync(Bound);
        await QuitBothAsync(clientInput, clientRun, serverInput, serverRun);

        Assert.Contains("ServerRegistration", deferred, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Lines, l => l.Contains("registered", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_certificate_bootstrap_configuration_put_through_the_rest_api_admits_its_endpoint_and_says_so()
    {
        (WatchingWriter server, TypedInput serverInput, Task<int> serverRun, int port) = await StartServerAsync(ServerArguments());
        string api = Regex.Match(await server.LineContaining("REST API on").WaitAsync(Bound), @"http://127\.0\.0\.1:\d+/").Value;
        TestIdentity device = TestCertificates.CreateLeaf("boot-cert", _ca);
        string configuration = $$"""
            {"writes":[{"path":"/0/1","resources":[{"id":0,"type":"String","value":"coaps://127.0.0.1:{{port}}"},{"id":1,"type":"Boolean","value":false},
              {"id":2,"type":"Integer","value":2},{"id":3,"type":"Opaque","value":"{{Convert.ToBase64String(device.Certificate.GetEncoded())}}"},
              {"id":4,"type":"Opaque","value":"{{Convert.ToBase64String(_serverIdentity.Certificate.GetEncoded())}}"},
              {"id":5,"type":"Opaque","value":"{{Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(device.PrivateKeyPem))}}"},{"id":10,"type":"Integer","value":1}]}]}
            """;
        using var http = new HttpClient { BaseAddress = new Uri(api) };

        HttpResponseMessage put = await http.PutAsync("/api/bootstrap/boot-cert", new StringContent(configuration, System.Text.Encoding.UTF8, "application/json"));
        string provisioned = await server.LineContaining("provisioning  boot-cert").WaitAsync(Bound);
        var clientInput = new TypedInput();
        var clientOutput = new WatchingWriter();
        Task<int> clientRun = ClientCommand.RunAsync(Client(port, "boot-cert", device), clientInput, clientOutput, CancellationToken.None);
        await server.LineContaining("registered    boot-cert").WaitAsync(Bound);
        await QuitBothAsync(clientInput, clientRun, serverInput, serverRun);

        Assert.Equal(System.Net.HttpStatusCode.NoContent, put.StatusCode);
        Assert.EndsWith("provisioning  boot-cert added boot-cert: certificate for the LwM2M server", provisioned, StringComparison.Ordinal);
    }

    [Fact]
    public void The_flags_become_the_hosts_certificate_anchors_and_certificate_entries()
    {
        ServerCommand.Prepared prepared = Prepare(ServerArguments("--cert-endpoint", "dev-a", "--cert-endpoint", "dev-b", "--client-ca", Write("ca2.pem", TestCertificates.CreateCa("second").CertificatePem)));

        Assert.Equal(_serverIdentity.Certificate, prepared.Options.Certificate!.Chain[0]);
        Assert.Equal(2, prepared.Options.TrustedClientCertificates.Count);
        Assert.Equal([SecurityInfo.ForCertificate("dev-a"), SecurityInfo.ForCertificate("dev-b")], prepared.Options.Security!.GetAll());
        Assert.True(prepared.Options.Server!.RequireCertificateEntry);
    }

    [Theory]
    [InlineData("--cert", "a.pem")]
    [InlineData("--key", "a.key")]
    [InlineData("--cert", "a.pem", "--key", "a.key")]
    [InlineData("--client-ca", "ca.pem")]
    [InlineData("--cert-endpoint", "dev")]
    [InlineData("--cert", "a.pem", "--key", "a.key", "--client-ca", "ca.pem", "--cert-endpoint", " ")]
    public void Certificate_flags_that_do_not_go_together_are_parse_errors(params string[] arguments)
    {
        Assert.NotEmpty(Program.Parse(["server", .. arguments]).Errors);
    }

    [Fact]
    public void Unusable_certificate_files_are_one_line_errors_naming_the_flag_and_file()
    {
        string[] Replace(string flag, string file)
        {
            string[] arguments = ServerArguments();
            arguments[Array.IndexOf(arguments, flag) + 1] = file;
            return arguments;
        }

        string missing = Path.Combine(_directory, "absent.pem");
        AsymmetricCipherKeyPair rsa = RsaKeys();
        (string Error, string Expected)[] cases =
        [
            (PrepareError(Replace("--cert", missing)), $"--cert {missing}: cannot read it"),
            (PrepareError(Replace("--cert", Write("junk.pem", "not a certificate"))), "no X.509 certificate in it"),
            (PrepareError(Replace("--key", Write("junk.key", "not a key"))), "no private key in it"),
            (PrepareError(Replace("--key", Write("rsa.key", TestIdentity.ToPem(rsa.Private)))), "an RSA key; the DTLS certificate suites are ECDHE-ECDSA"),
            (PrepareError(Replace("--key", Write("other.key", TestCertificates.CreateLeaf("x", _ca).PrivateKeyPem))), "does not belong to the certificate in --cert"),
            (PrepareError(Replace("--client-ca", Write("empty.pem", ""))), "the file is empty"),
            (PrepareError([.. ServerArguments("--cert-endpoint", "dev"), "--psk", "dev:dev-id:0011"]), "--cert-endpoint dev: the endpoint already has a PSK entry"),
        ];

        foreach ((string error, string expected) in cases)
        {
            Assert.StartsWith("tern server: ", error, StringComparison.Ordinal);
            Assert.Contains(expected, error, StringComparison.Ordinal);
            Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
    }

    private static AsymmetricCipherKeyPair RsaKeys()
    {
        var generator = new RsaKeyPairGenerator();
        generator.Init(new RsaKeyGenerationParameters(BigInteger.ValueOf(65537), new SecureRandom(), 1024, 25));
        return generator.GenerateKeyPair();
    }
}

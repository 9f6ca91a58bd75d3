using System.Net;
using Tern.Cli.Commands;
using Tern.Cli.Tests.Support;
using Tern.Coap.Dtls.Tests.Support;
using Tern.Lwm2m.Server;
using Tern.Lwm2m.Server.Security;

namespace Tern.Cli.Tests.Commands;

/// <summary><c>tern client --cert --key --server-cert</c> against a Tern server that maps certificates to endpoints by CN.</summary>
public sealed class ClientCommandCertificateTests : IAsyncLifetime
{
    private readonly TestIdentity _ca = TestCertificates.CreateCa("CLI test CA");
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tern-cli-cert-" + Guid.NewGuid().ToString("N"));
    private TestIdentity _serverIdentity = null!;
    private Lwm2mServer _server = null!;
    private Lwm2mServerTransport _transport = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _serverIdentity = TestCertificates.CreateLeaf("tern-server", _ca);
        _transport = await Lwm2mServerTransport.BindAsync(new Lwm2mServerTransportOptions
        {
            CoapsEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            Security = new InMemorySecurityStore(),
            Certificate = _serverIdentity.Credentials(),
            TrustedClientCertificates = [_ca.Certificate],
        });
        _server = await Lwm2mServer.StartAsync(_transport);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private string Write(string name, string content)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private ClientSettings Settings(string endpoint, TestIdentity client) =>
        new($"coaps://127.0.0.1:{_transport.CoapsEndPoint!.Value.EndPoint.Port}", endpoint, false, null, null, null, TimeSpan.FromSeconds(120))
        {
            CertificateFile = Write("client.pem", client.CertificatePem),
            PrivateKeyFile = Write("client.key", client.PrivateKeyPem),
            ServerCertificateFile = Write("server.pem", _serverIdentity.CertificatePem),
        };

    [Fact]
    public async Task Client_registers_with_its_certificate_and_quit_deregisters()
    {
        var output = new WatchingWriter();
        var input = new TypedInput();
        Task<int> run = ClientCommand.RunAsync(Settings("cli-cert", TestCertificates.CreateLeaf("cli-cert", _ca)), input, output, CancellationToken.None);

        await output.LineContaining("registered    /rd/");
        Assert.NotNull(await _server.GetRegistrationAsync("cli-cert"));
        input.Type("quit");

        Assert.Equal(ClientCommand.ExitOk, await run.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Null(await _server.GetRegistrationAsync("cli-cert"));
    }

    [Fact]
    public async Task Unreadable_certificate_files_are_a_configuration_error_with_exit_2()
    {
        var output = new WatchingWriter();
        ClientSettings missing = Settings("cli-cert", TestCertificates.CreateLeaf("cli-cert", _ca)) with { CertificateFile = Path.Combine(_directory, "absent.pem") };
        ClientSettings garbage = Settings("cli-cert", TestCertificates.CreateLeaf("cli-cert", _ca)) with { PrivateKeyFile = Write("garbage.key", "not a key") };

        int missingCode = await ClientCommand.RunAsync(missing, new TypedInput(), output, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        int garbageCode = await ClientCommand.RunAsync(garbage, new TypedInput(), output, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(ClientCommand.ExitBadConfiguration, missingCode);
        Assert.Equal(ClientCommand.ExitBadConfiguration, garbageCode);
        Assert.Contains(output.Lines, l => l.Contains("cannot read a certificate or key file", StringComparison.Ordinal));
        Assert.Contains(output.Lines, l => l.Contains("cannot be read", StringComparison.Ordinal));
    }
}

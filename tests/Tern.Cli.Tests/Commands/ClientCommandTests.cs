using System.Text;
using Tern.Cli.Commands;
using Tern.Cli.Tests.Support;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Server.Rest;
using Tern.Lwm2m.Server.Security;

namespace Tern.Cli.Tests.Commands;

/// <summary><c>tern client</c> against a Tern server on loopback (real sockets; the bounds are safety nets, not a pace).</summary>
public sealed class ClientCommandTests : IAsyncLifetime
{
    private static readonly byte[] Key = Convert.FromHexString("000102030405060708090a0b0c0d0e0f");
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly InMemorySecurityStore _security = new();
    private TernServerHost _host = null!;

    public async Task InitializeAsync()
    {
        _security.TryPut(SecurityInfo.ForPsk("cli-psk", "cli-psk-id", Key), out _);
        _host = await TernServerHost.StartAsync(new TernServerHostOptions { CoapPort = 0, CoapsPort = 0, BootstrapPort = 0, HttpPort = 0, Security = _security });
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private string CoapUri => $"coap://127.0.0.1:{_host.CoapEndPoint.Port}";

    private string CoapsUri => $"coaps://127.0.0.1:{_host.CoapsEndPoint!.Port}";

    private static ClientSettings Settings(string server, string endpoint, string? identity = null, byte[]? key = null, string? stateDirectory = null) =>
        new(server, endpoint, false, stateDirectory, identity, key, TimeSpan.FromSeconds(120));

    [Fact]
    public async Task Client_registers_with_a_tern_server_and_quit_deregisters_and_exits_0()
    {
        var output = new WatchingWriter();
        var input = new TypedInput();
        Task<int> run = ClientCommand.RunAsync(Settings(CoapUri, "cli-dev"), input, output, CancellationToken.None);

        string registered = await output.LineContaining("registered    /rd/");
        Assert.NotNull(await _host.Server.GetRegistrationAsync("cli-dev"));
        input.Type("state");
        await output.LineContaining("state         RegistrationSession");
        input.Type("quit");

        Assert.Equal(ClientCommand.ExitOk, await run.WaitAsync(Bound));
        Assert.Null(await _host.Server.GetRegistrationAsync("cli-dev"));
        Assert.Matches(@"registered +/rd/\w+ lwm2m=1\.2$", registered);
        Assert.Contains(output.Lines, l => l.EndsWith(" deregistered", StringComparison.Ordinal));
        Assert.EndsWith("exit 0", output.Lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_registers_over_dtls_with_its_psk_and_quit_deregisters()
    {
        var output = new WatchingWriter();
        var input = new TypedInput();
        Task<int> run = ClientCommand.RunAsync(Settings(CoapsUri, "cli-psk", "cli-psk-id", Key), input, output, CancellationToken.None);

        await output.LineContaining("registered    /rd/");
        Lwm2m.Server.Registrations.Registration registration = (await _host.Server.GetRegistrationAsync("cli-psk"))!;
        Assert.True(_host.Server.TryGetDtlsPeer(registration.Peer, out var proven));
        input.Type("quit");

        Assert.Equal(ClientCommand.ExitOk, await run.WaitAsync(Bound));
        Assert.Equal("cli-psk-id", proven!.PskIdentity);
        Assert.Null(await _host.Server.GetRegistrationAsync("cli-psk"));
    }

    [Fact]
    public async Task A_wrong_psk_key_is_reported_as_a_failed_handshake_and_nothing_registers()
    {
        var output = new WatchingWriter();
        var input = new TypedInput();
        Task<int> run = ClientCommand.RunAsync(Settings(CoapsUri, "cli-psk", "cli-psk-id", [0xde, 0xad, 0xbe, 0xef]), input, output, CancellationToken.None);

        await output.LineContaining("dtls-failed   DecryptError");
        input.Type("quit");

        Assert.Equal(ClientCommand.ExitOk, await run.WaitAsync(Bound));
        Assert.Empty(await _host.Server.GetRegistrationsAsync());
    }

    [Fact]
    public async Task An_endpoint_with_credentials_on_plain_coap_is_refused_and_the_client_retries_by_its_policy()
    {
        var output = new WatchingWriter();
        var input = new TypedInput();

        Task<int> run = ClientCommand.RunAsync(Settings(CoapUri, "cli-psk"), input, output, CancellationToken.None);
        string deferred = await output.LineContaining("deferred      ServerRegistration");
        input.Type("quit");

        Assert.Equal(ClientCommand.ExitOk, await run.WaitAsync(Bound));
        Assert.Empty(await _host.Server.GetRegistrationsAsync());
        Assert.Contains("next attempt at", deferred, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_coaps_server_without_psk_options_is_a_configuration_error_with_exit_2()
    {
        var output = new WatchingWriter();

        int code = await ClientCommand.RunAsync(Settings(CoapsUri, "cli-dev"), new TypedInput(), output, CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(ClientCommand.ExitBadConfiguration, code);
        Assert.Contains(output.Lines, l => l.Contains("does not match the URI scheme", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_corrupted_state_directory_is_reported_with_exit_2()
    {
        string directory = Path.Combine(Path.GetTempPath(), "tern-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            await File.WriteAllTextAsync(new Lwm2mStateStore(directory).FilePath, "TERN-STATE 1 5 00\n{}");
            var output = new WatchingWriter();

            int code = await ClientCommand.RunAsync(Settings(CoapUri, "cli-dev", stateDirectory: directory), new TypedInput(), output, CancellationToken.None).WaitAsync(Bound);

            Assert.Equal(ClientCommand.ExitBadConfiguration, code);
            Assert.Contains(output.Lines, l => l.Contains("Remove or repair it", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Ctrl_c_deregisters_and_exits_0_and_unknown_commands_get_one_line()
    {
        using var cancel = new CancellationTokenSource();
        var output = new WatchingWriter();
        var input = new TypedInput();
        Task<int> run = ClientCommand.RunAsync(Settings(CoapUri, "cli-ctrl-c"), input, output, cancel.Token);
        await output.LineContaining("registered    /rd/");
        input.Type("frobnicate");
        await output.LineContaining("unknown command 'frobnicate'");

        await cancel.CancelAsync();

        Assert.Equal(ClientCommand.ExitOk, await run.WaitAsync(Bound));
        Assert.Null(await _host.Server.GetRegistrationAsync("cli-ctrl-c"));
    }
}

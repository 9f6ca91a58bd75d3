using System.Net;
using System.Security.Cryptography;
using System.Threading.Channels;
using Tern.Cli.Commands;
using Tern.Cli.Tests.Support;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Coap.Transport.Udp;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Operations;
using Tern.Lwm2m.Server.Firmware;
using Tern.Lwm2m.Server.Rest;
using Tern.Lwm2m.Server.Security;

namespace Tern.Cli.Tests.Commands;

/// <summary>
/// Firmware Update (5) of <c>tern client</c> against a Tern server on loopback: a package pushed to /5/0/0 or pulled
/// from /5/0/1 lands in the state directory with a progress display, and Update "installs" it: the client reboots,
/// then reports Update Result 1 and the new version in /3/0/3.
/// </summary>
public sealed class ClientFirmwareTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private static readonly byte[] Key = Convert.FromHexString("0f0e0d0c0b0a09080706050403020100");
    private readonly InMemorySecurityStore _security = new();
    private readonly Channel<string> _registrations = Channel.CreateUnbounded<string>();
    private readonly string _stateDir = Directory.CreateTempSubdirectory("tern-fota-test-").FullName;
    private TernServerHost _host = null!;

    public async Task InitializeAsync()
    {
        _security.TryPut(SecurityInfo.ForPsk("fota-dtls", "fota-dtls-id", Key), out _);
        _host = await TernServerHost.StartAsync(new TernServerHostOptions { CoapPort = 0, CoapsPort = 0, BootstrapPort = 0, HttpPort = 0, Security = _security });
        _host.Server.Registered += (_, e) => _registrations.Writer.TryWrite(e.Registration.Endpoint);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_stateDir, recursive: true);
    }

    private ClientSettings Settings(string endpoint) =>
        new($"coap://127.0.0.1:{_host.CoapEndPoint.Port}", endpoint, false, _stateDir, null, null, TimeSpan.FromSeconds(120));

    private async Task Registered(string endpoint)
    {
        using var bound = new CancellationTokenSource(Bound);
        while (await _registrations.Reader.ReadAsync(bound.Token) != endpoint)
        {
        }
    }

    private async Task<Lwm2mValue> ServerReads(string endpoint, string path)
    {
        ReadResult result = await _host.Server.ReadAsync(endpoint, Lwm2mPath.Parse(path), Lwm2mContentFormat.Text, timeout: Bound);
        Assert.True(result.IsSuccess, result.ToString());
        return Assert.IsType<Lwm2mSingleResource>(result.Node).Value;
    }

    private static byte[] Image(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task A_pushed_package_streams_to_the_state_directory_and_update_reboots_into_it()
    {
        // Five times the endpoint's default MaxBodySize (64 KiB): only a streamed push gets it through.
        byte[] image = Image(320 * 1024, 1);
        string version = Convert.ToHexStringLower(SHA256.HashData(image))[..8];
        var output = new WatchingWriter();
        var input = new TypedInput();
        Task<int> run = ClientCommand.RunAsync(Settings("fota-push"), input, output, CancellationToken.None);
        await Registered("fota-push");
        string before = (await ServerReads("fota-push", "/3/0/3")).AsString();

        Lwm2mResult push = await _host.Server.WriteAsync("fota-push", Lwm2mPath.Parse("/5/0/0"), new Lwm2mSingleResource(0, Lwm2mValue.FromOpaque(image)), format: Lwm2mContentFormat.Opaque, timeout: Bound);
        Assert.True(push.IsSuccess, push.ToString());
        await output.LineContaining("fota-stored   firmware " + version);

        Assert.Equal(image, File.ReadAllBytes(Path.Combine(_stateDir, "firmware", "firmware.bin")));
        Assert.Equal(2L, (await ServerReads("fota-push", "/5/0/3")).AsInteger()); // Downloaded
        Assert.Equal(version, (await ServerReads("fota-push", "/5/0/7")).AsString());
        // Redirected output: a plain progress line per tenth, ending at 100 %, not one per block.
        var progress = output.Lines.Where(l => l.Contains("download      [", StringComparison.Ordinal)).ToList();
        Assert.InRange(progress.Count, 3, 11);
        Assert.Contains("100% ", progress[^1], StringComparison.Ordinal);

        Assert.True((await _host.Server.ExecuteAsync("fota-push", Lwm2mPath.Parse("/5/0/2"), timeout: Bound)).IsSuccess);
        await output.LineContaining("reboot        restarting the client");
        await output.LineContaining("fota-ok       firmware " + version);
        await Registered("fota-push");

        Assert.Equal(1L, (await ServerReads("fota-push", "/5/0/5")).AsInteger());
        Assert.Equal(0L, (await ServerReads("fota-push", "/5/0/3")).AsInteger());
        Assert.Equal(version, (await ServerReads("fota-push", "/3/0/3")).AsString());
        Assert.NotEqual(before, version);
        input.Type("quit");
        Assert.Equal(ClientCommand.ExitOk, await run.WaitAsync(Bound));
    }

    [Fact]
    public async Task A_pulled_package_is_named_from_its_uri_installed_and_still_running_after_a_restart()
    {
        byte[] image = Image(100 * 1024, 2);
        var files = new CoapResourceServer().Map("/fw/demo-2.1.0.bin", new CoapResource { Get = (_, _) => ValueTask.FromResult(new CoapResponse(CoapCode.Content, image)) });
        await using CoapEndpoint fileServer = await CoapEndpoint.StartAsync(await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0)), new CoapEndpointOptions { Handler = files });
        string uri = $"coap://{fileServer.LocalEndPoint}/fw/demo-2.1.0.bin";
        var output = new WatchingWriter();
        var input = new TypedInput();
        Task<int> run = ClientCommand.RunAsync(Settings("fota-pull"), input, output, CancellationToken.None);
        await Registered("fota-pull");

        Assert.True((await _host.Server.WriteAsync("fota-pull", Lwm2mPath.Parse("/5/0/1"), new Lwm2mSingleResource(1, Lwm2mValue.FromString(uri)), timeout: Bound)).IsSuccess);
        await output.LineContaining("fota-start    pull " + uri);
        await output.LineContaining("fota-stored   demo 2.1.0");

        Assert.Equal(image, File.ReadAllBytes(Path.Combine(_stateDir, "firmware", "firmware.bin")));
        Assert.Equal("demo", (await ServerReads("fota-pull", "/5/0/6")).AsString());
        Assert.Equal("2.1.0", (await ServerReads("fota-pull", "/5/0/7")).AsString());
        Assert.Contains(output.Lines, l => l.Contains("download      [", StringComparison.Ordinal) && l.Contains("100% ", StringComparison.Ordinal));

        Assert.True((await _host.Server.ExecuteAsync("fota-pull", Lwm2mPath.Parse("/5/0/2"), timeout: Bound)).IsSuccess);
        await output.LineContaining("fota-ok       firmware 2.1.0");
        await Registered("fota-pull");
        Assert.Equal(1L, (await ServerReads("fota-pull", "/5/0/5")).AsInteger());
        Assert.Equal("2.1.0", (await ServerReads("fota-pull", "/3/0/3")).AsString());
        input.Type("quit");
        Assert.Equal(ClientCommand.ExitOk, await run.WaitAsync(Bound));

        // A new run on the same state directory: the installed firmware and the update's outcome are still reported.
        var again = new TypedInput();
        Task<int> rerun = ClientCommand.RunAsync(Settings("fota-pull"), again, new WatchingWriter(), CancellationToken.None);
        await Registered("fota-pull");
        Assert.Equal("2.1.0", (await ServerReads("fota-pull", "/3/0/3")).AsString());
        Assert.Equal(1L, (await ServerReads("fota-pull", "/5/0/5")).AsInteger());
        again.Type("quit");
        Assert.Equal(ClientCommand.ExitOk, await rerun.WaitAsync(Bound));
    }

    [Fact]
    public async Task A_coaps_package_uri_is_pulled_from_the_tern_servers_fw_resource_over_dtls_with_the_clients_psk()
    {
        byte[] image = Image(60 * 1024, 3);
        FirmwareImage served = _host.Server.FirmwareImages.Add(image);
        string uri = $"coaps://127.0.0.1:{_host.CoapsEndPoint!.Port}/fw/{served.Id}";
        var output = new WatchingWriter();
        var input = new TypedInput();
        var settings = new ClientSettings($"coaps://127.0.0.1:{_host.CoapsEndPoint.Port}", "fota-dtls", false, _stateDir, "fota-dtls-id", Key, TimeSpan.FromSeconds(120));
        Task<int> run = ClientCommand.RunAsync(settings, input, output, CancellationToken.None);
        await Registered("fota-dtls");
        Assert.Contains(1L, (await ServerReadsInstances("fota-dtls", "/5/0/8")).Select(v => v.AsInteger())); // coaps offered

        Assert.True((await _host.Server.WriteAsync("fota-dtls", Lwm2mPath.Parse("/5/0/1"), new Lwm2mSingleResource(1, Lwm2mValue.FromString(uri)), timeout: Bound)).IsSuccess);
        await output.LineContaining("fota-start    pull " + uri);
        await output.LineContaining("fota-stored   firmware");

        Assert.Equal(image, File.ReadAllBytes(Path.Combine(_stateDir, "firmware", "firmware.bin")));
        Assert.Equal(2L, (await ServerReads("fota-dtls", "/5/0/3")).AsInteger()); // Downloaded
        Assert.DoesNotContain(output.Lines, l => l.Contains("fota-resume", StringComparison.Ordinal));
        input.Type("quit");
        Assert.Equal(ClientCommand.ExitOk, await run.WaitAsync(Bound));
    }

    [Fact]
    public async Task A_coaps_package_uri_given_to_a_client_without_dtls_credentials_fails_as_a_refused_session_with_result_4()
    {
        FirmwareImage served = _host.Server.FirmwareImages.Add(Image(4096, 4));
        string uri = $"coaps://127.0.0.1:{_host.CoapsEndPoint!.Port}/fw/{served.Id}";
        var output = new WatchingWriter();
        var input = new TypedInput();
        Task<int> run = ClientCommand.RunAsync(Settings("fota-nosec"), input, output, CancellationToken.None);
        await Registered("fota-nosec");

        Assert.True((await _host.Server.WriteAsync("fota-nosec", Lwm2mPath.Parse("/5/0/1"), new Lwm2mSingleResource(1, Lwm2mValue.FromString(uri)), timeout: Bound)).IsSuccess);
        string error = await output.LineContaining("fota-error");

        Assert.Contains("ConnectionRefused", error, StringComparison.Ordinal);
        Assert.Contains("no DTLS credentials", error, StringComparison.Ordinal);
        Assert.EndsWith("(Update Result 4)", error, StringComparison.Ordinal);
        Assert.Equal(4L, (await ServerReads("fota-nosec", "/5/0/5")).AsInteger());
        input.Type("quit");
        Assert.Equal(ClientCommand.ExitOk, await run.WaitAsync(Bound));
    }

    private async Task<IEnumerable<Lwm2mValue>> ServerReadsInstances(string endpoint, string path)
    {
        ReadResult result = await _host.Server.ReadAsync(endpoint, Lwm2mPath.Parse(path), timeout: Bound);
        Assert.True(result.IsSuccess, result.ToString());
        return Assert.IsType<Lwm2mMultipleResource>(result.Node).Instances.Select(i => i.Value);
    }
}

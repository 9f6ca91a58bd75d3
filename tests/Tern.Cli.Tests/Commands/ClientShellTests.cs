using System.Threading.Channels;
using Tern.Cli.Commands;
using Tern.Cli.Tests.Support;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Operations;
using Tern.Lwm2m.Server.Registrations;
using Tern.Lwm2m.Server.Rest;

namespace Tern.Cli.Tests.Commands;

/// <summary>The <c>tern client</c> shell driven line by line against a Tern server on loopback; the server checks what each command did.</summary>
public sealed class ClientShellTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly Channel<(string Kind, Registration Registration)> _events = Channel.CreateUnbounded<(string, Registration)>();
    private TernServerHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await TernServerHost.StartAsync(new TernServerHostOptions { CoapPort = 0, CoapsPort = 0, BootstrapPort = 0, HttpPort = 0 });
        _host.Server.Registered += (_, e) => _events.Writer.TryWrite(("registered", e.Registration));
        _host.Server.Updated += (_, e) => _events.Writer.TryWrite(("updated", e.Registration));
        _host.Server.Deregistered += (_, e) => _events.Writer.TryWrite(("deregistered", e.Registration));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private ClientSettings Settings(string endpoint) =>
        new($"coap://127.0.0.1:{_host.CoapEndPoint.Port}", endpoint, false, null, null, null, TimeSpan.FromSeconds(120));

    /// <summary>The next server event of <paramref name="kind"/>, skipping others (the bound is a safety net).</summary>
    private async Task<Registration> Next(string kind)
    {
        using var bound = new CancellationTokenSource(Bound);
        while (true)
        {
            var (seen, registration) = await _events.Reader.ReadAsync(bound.Token);
            if (seen == kind)
            {
                return registration;
            }
        }
    }

    private async Task<Lwm2mValue> ServerReads(string endpoint, string path)
    {
        var result = await _host.Server.ReadAsync(endpoint, Lwm2mPath.Parse(path), timeout: Bound);
        Assert.True(result.IsSuccess, result.ToString());
        return Assert.IsType<Lwm2mSingleResource>(result.Node).Value;
    }

    [Fact]
    public async Task Writes_creates_deletes_and_executes_from_the_shell_are_seen_by_the_server()
    {
        var output = new WatchingWriter();
        var input = new TypedInput();
        Task<int> run = ClientCommand.RunAsync(Settings("shell-dev"), input, output, CancellationToken.None);
        Registration registered = await Next("registered");
        Assert.Contains(registered.ObjectLinks, l => l.Target == "/3303/0");
        Assert.Equal(Lwm2mValue.FromString("Tern"), await ServerReads("shell-dev", "/3/0/0"));

        input.Type("write 3303/0/5700 -f 30.5");
        input.Type("write 3/0/1 -s model with spaces");
        input.Type("read 3303/0/5700 -f");
        await output.LineContaining("/3303/0/5700 = 30.5");
        await output.LineContaining("written /3/0/1");
        Assert.Equal(Lwm2mValue.FromFloat(30.5), await ServerReads("shell-dev", "/3303/0/5700"));
        Assert.Equal(Lwm2mValue.FromString("model with spaces"), await ServerReads("shell-dev", "/3/0/1"));

        input.Type("create 3303/1");
        Registration created = await Next("updated");
        Assert.Contains(created.ObjectLinks, l => l.Target == "/3303/1");
        Assert.True((await _host.Server.ReadAsync("shell-dev", Lwm2mPath.Parse("/3303/1"), timeout: Bound)).IsSuccess);

        input.Type("delete 3303/1");
        Registration deleted = await Next("updated");
        Assert.DoesNotContain(deleted.ObjectLinks, l => l.Target == "/3303/1");

        input.Type("write 3303/0/5700 -f 40");
        input.Type("exec 3303/0/5605");
        await output.LineContaining("executed /3303/0/5605");
        Assert.Equal(Lwm2mValue.FromFloat(40), await ServerReads("shell-dev", "/3303/0/5601"));

        input.Type("exec 3/0/4");
        await Next("registered"); // the reboot restarts the engine, which registers again

        input.Type("quit");
        Assert.Equal(ClientCommand.ExitOk, await run.WaitAsync(Bound));
        Assert.Null(await _host.Server.GetRegistrationAsync("shell-dev"));
    }

    [Fact]
    public async Task Update_stop_start_pause_and_resume_drive_the_registration()
    {
        var output = new WatchingWriter();
        var input = new TypedInput();
        Task<int> run = ClientCommand.RunAsync(Settings("shell-life"), input, output, CancellationToken.None);
        await Next("registered");
        await output.LineContaining("registered    /rd"); // the client, too, has its 2.01: an Update asked earlier is folded into the Register

        input.Type("update");
        await Next("updated");

        input.Type("stop");
        await Next("deregistered");
        Assert.Null(await _host.Server.GetRegistrationAsync("shell-life"));

        input.Type("start");
        await Next("registered");
        await output.LineContaining("registered    /rd", 2); // a pause while the Register is in flight would fold the next update into it

        input.Type("pause");
        await output.LineContaining("paused");
        input.Type("resume");
        await output.LineContaining("resumed");
        input.Type("update");
        await Next("updated");

        input.Type("lock");
        input.Type("unlock");
        input.Type("unlock");
        await output.LineContaining("error: not locked");
        var sent = new TaskCompletionSource<IReadOnlyList<Tern.Lwm2m.Model.Lwm2mRecord>>(TaskCreationOptions.RunContinuationsAsynchronously);
        _host.Server.DataReceived += (_, e) => sent.TrySetResult(e.Records);
        input.Type("send 3303/0/5700");
        await output.LineContaining("send queued: /3303/0/5700");
        Assert.Contains(await sent.Task.WaitAsync(Bound), r => r.Path.ToString() == "/3303/0/5700");
        input.Type("cache 3303/0/5700 10");
        await output.LineContaining("cache /3303/0/5700: keeps the last 10 values");
        input.Type("obs");
        await output.LineContaining("no observations");

        input.End(); // end of piped input is quit
        Assert.Equal(ClientCommand.ExitOk, await run.WaitAsync(Bound));
        Assert.Null(await _host.Server.GetRegistrationAsync("shell-life"));
        Assert.Contains(output.Lines, l => l.Contains("locked (depth 1)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bad_commands_get_one_error_line_and_the_shell_goes_on()
    {
        var output = new WatchingWriter();
        var input = new TypedInput();
        Task<int> run = ClientCommand.RunAsync(Settings("shell-bad"), input, output, CancellationToken.None);
        await Next("registered");

        input.Type("read 3/0/0 -f");
        await output.LineContaining("does not fit -f");
        input.Type("write 3/0/9 -s x");
        await output.LineContaining("error: /3/0/9");
        input.Type("read 3/0/77");
        await output.LineContaining("error: /3/0/77 has no value");
        input.Type("delete 3303/9");
        await output.LineContaining("error: no instance /3303/9");
        input.Type("ls 3303/0");
        await output.LineContaining("/3303/0/5701 = Cel");

        input.Type("quit");
        Assert.Equal(ClientCommand.ExitOk, await run.WaitAsync(Bound));
    }

    [Fact]
    public async Task Version_binding_and_format_options_reach_the_registration()
    {
        var output = new WatchingWriter();
        var input = new TypedInput();
        ClientSettings settings = Settings("shell-opts") with { Version = Lwm2m.Client.Engine.Lwm2mVersion.Lwm2m11, Binding = "UQ", PreferredContentFormat = 110 };
        Task<int> run = ClientCommand.RunAsync(settings, input, output, CancellationToken.None);

        Registration registered = await Next("registered");
        ReadResult read = await _host.Server.ReadAsync("shell-opts", Lwm2mPath.Parse("/3/0"), timeout: Bound);
        input.Type("quit");

        Assert.Equal("1.1", registered.Lwm2mVersion);
        Assert.True(registered.QueueMode);
        Assert.Equal((ushort)110, read.ContentFormat);
        Assert.Equal(ClientCommand.ExitOk, await run.WaitAsync(Bound));
    }
}

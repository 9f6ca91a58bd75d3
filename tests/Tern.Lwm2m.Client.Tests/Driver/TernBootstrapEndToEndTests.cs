using Tern.Coap.Messages;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Client.Tests.Firmware;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Bootstrap;
using S = Tern.Lwm2m.Client.Engine.Lwm2mClientState;

namespace Tern.Lwm2m.Client.Tests.Driver;

/// <summary>
/// A Tern client with only a bootstrap-server account bootstraps from Tern's own bootstrap server, through its data
/// model, and registers with a Tern LwM2M server; everything on one virtual network and clock.
/// </summary>
public sealed class TernBootstrapEndToEndTests
{
    private static TimeSpan Sec(double s) => TimeSpan.FromSeconds(s);

    private static Lwm2mClientOptions Options(string? stateDirectory) => new("node-1")
    {
        StateDirectory = stateDirectory,
        BootstrapRetryTimeout = Sec(10),
        BootstrapRetryCount = 1,
        BootstrapFinishTimeout = Sec(30),
    };

    [Fact]
    public async Task Client_bootstraps_from_the_tern_bootstrap_server_then_registers_and_a_restart_skips_bootstrap()
    {
        using var state = new TempDirectory();
        await using var f = await BootstrappedClientFixture.StartAsync(Options(state.Path));
        await f.BootstrapServer.Store.SetAsync("node-1", BootstrapConfiguration.ForServer(f.ServerUri, 101, Sec(300)) with { Reads = [new Lwm2mPath(1)] });
        await f.Client.StartAsync();
        Assert.True(await f.RunUntilAsync(() => f.Client.State == S.RegistrationSession && !f.Registrations.IsEmpty, Sec(120)));

        var session = Assert.Single(f.Sessions);
        Assert.True(session.Success, session.Failure);
        Assert.Equal(CoapCode.Content, session.Steps.Single(s => s.Path == "/1" && s.Operation.Contains("Read", StringComparison.OrdinalIgnoreCase)).Code);
        Assert.Equal(CoapCode.Changed, session.Steps[^1].Code);
        Assert.Equal("node-1", Assert.Single(f.Registrations));

        // The store keeps what the bootstrap server wrote; the bootstrap account survived its Delete of /.
        var held = f.Store.ReadConfiguration();
        Assert.Equal(f.ServerUri, held.ServerAccounts.Single().Security.ServerUri);
        Assert.Equal((ushort)101, held.Servers.Single().ShortServerId);
        Assert.Single(held.Securities, s => s.IsBootstrapServer);

        var saved = new Lwm2mStateStore(state.Path).Load();
        Assert.Equal(Lwm2mStateStatus.Loaded, saved.Status);
        Assert.Equal(f.ServerUri, saved.Configuration!.ServerAccounts.Single().Security.ServerUri);

        await f.RestartClientAsync();
        await f.Client.StartAsync();
        Assert.True(await f.RunUntilAsync(() => f.Client.State == S.RegistrationSession && f.Registrations.Count == 2, Sec(120)));
        Assert.Single(f.Sessions);
        Assert.DoesNotContain(f.Events, e => e is Lwm2mStateChanged { To: S.Bootstrap });
        Assert.Equal(f.ServerUri, f.Store.ReadConfiguration().ServerAccounts.Single().Security.ServerUri);
    }

    [Fact]
    public async Task Bootstrap_read_of_the_server_object_returns_what_an_earlier_bootstrap_wrote()
    {
        await using var f = await BootstrappedClientFixture.StartAsync(Options(null));
        await f.BootstrapServer.Store.SetAsync("node-1", BootstrapConfiguration.ForServer(f.ServerUri, 101, Sec(300)));
        await f.Client.StartAsync();
        Assert.True(await f.RunUntilAsync(() => f.Client.State == S.RegistrationSession, Sec(120)));

        // A second bootstrap (the application asks) reads /1 first: the Server instance of the first one is there.
        await f.BootstrapServer.Store.SetAsync("node-1", BootstrapConfiguration.ForServer(f.ServerUri, 102, Sec(600)) with { Reads = [new Lwm2mPath(1)] });
        Assert.Equal(Lwm2mBootstrapRequestResult.Accepted, await f.Client.RequestBootstrapAsync());
        Assert.True(await f.RunUntilAsync(() => f.Sessions.Count == 2 && f.Client.State == S.RegistrationSession, Sec(120)));

        var second = f.Sessions.Last();
        Assert.True(second.Success, second.Failure);
        var read = Assert.IsType<Lwm2mObject>(second.Read[new Lwm2mPath(1)]);
        var instance = Assert.Single(read.Instances);
        Assert.Equal(101L, Assert.IsType<Lwm2mSingleResource>(instance.Resources.Single(r => r.Id == 0)).Value.AsInteger());
        Assert.Equal((ushort)102, f.Client.Configuration.Servers.Single().ShortServerId);
    }

    [Fact]
    public async Task A_configuration_without_a_server_instance_is_refused_with_4_06_and_the_client_fails_after_its_retries()
    {
        await using var f = await BootstrappedClientFixture.StartAsync(Options(null));
        var full = BootstrapConfiguration.ForServer(f.ServerUri, 101, Sec(300));
        await f.BootstrapServer.Store.SetAsync("node-1", full with { Writes = [full.Writes[0]] });
        await f.Client.StartAsync();
        Assert.True(await f.RunUntilAsync(() => f.Client.State == S.Failure, Sec(600)));

        // One attempt plus BootstrapRetryCount (1) retries, each ending in a refused Finish.
        Assert.Equal(2, f.Sessions.Count);
        Assert.All(f.Sessions, s => Assert.False(s.Success));
        Assert.All(f.Sessions, s => Assert.Equal(CoapCode.NotAcceptable, s.Steps[^1].Code));
        Assert.Equal(2, f.Events.OfType<Lwm2mBootstrapFinishRefused>().Count());
        Assert.Contains("short server id 101", f.Events.OfType<Lwm2mBootstrapFinishRefused>().First().Reason, StringComparison.Ordinal);
        var failed = Assert.Single(f.Events.OfType<Lwm2mBootstrapFailed>());
        Assert.Equal(2, failed.Attempts);
        Assert.Empty(f.Registrations);
    }
}

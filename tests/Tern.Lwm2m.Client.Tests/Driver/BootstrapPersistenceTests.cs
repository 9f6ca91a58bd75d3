using Tern.Coap.Messages;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Engine;
using S = Tern.Lwm2m.Client.Engine.Lwm2mClientState;

namespace Tern.Lwm2m.Client.Tests.Driver;

/// <summary>The bootstrapped configuration kept in the state directory, and the driver's bootstrap triggers.</summary>
public sealed class BootstrapPersistenceTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tern-bs-" + Guid.NewGuid().ToString("N"));

    private static TimeSpan Sec(double s) => TimeSpan.FromSeconds(s);

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Bootstrapped_configuration_is_saved_and_a_restarted_client_registers_without_bootstrapping()
    {
        await using var f = await ClientFixture.StartBootstrapAsync(ClientFixture.BootstrapOptions(_directory));
        await f.Client.StartAsync();
        Assert.True(await f.RunUntilAsync(() => f.Client.State == S.RegistrationSession, Sec(60)));

        var saved = new Lwm2mStateStore(_directory).Load();
        Assert.Equal(Lwm2mStateStatus.Loaded, saved.Status);
        Assert.Equal(f.Candidate.Servers, saved.Configuration!.Servers);
        Assert.Equal(f.Candidate.AccessControls, saved.Configuration.AccessControls);
        Assert.Equal(f.Candidate.Securities.Select(s => (s.InstanceId, s.ServerUri, s.IsBootstrapServer, s.ShortServerId)),
            saved.Configuration.Securities.Select(s => (s.InstanceId, s.ServerUri, s.IsBootstrapServer, s.ShortServerId)));

        await f.RestartClientAsync();
        var before = f.Events.Count;
        await f.Client.StartAsync();
        Assert.True(await f.RunUntilAsync(() => f.Client.State == S.RegistrationSession, Sec(60)));

        Assert.Single(f.Bootstrap.RequestTimes);
        Assert.Equal(2, f.Server.Of(CoapCode.Post, "/rd").Count());
        Assert.Equal([(S.Initial, S.Registration), (S.Registration, S.RegistrationSession)],
            f.Events.Skip(before).OfType<Lwm2mStateChanged>().Select(e => (e.From, e.To)));
    }

    [Fact]
    public async Task A_corrupted_state_file_is_reported_not_used_and_replaced_after_bootstrapping_again()
    {
        var store = new Lwm2mStateStore(_directory);
        Directory.CreateDirectory(_directory);
        await File.WriteAllTextAsync(store.FilePath, "TERN-STATE 1 400 0123\n{\"securities\": [");

        await using var f = await ClientFixture.StartBootstrapAsync(ClientFixture.BootstrapOptions(_directory));
        await f.Client.StartAsync();
        Assert.True(await f.RunUntilAsync(() => f.Client.State == S.RegistrationSession, Sec(60)));

        var corrupted = Assert.IsType<Lwm2mStateCorrupted>(f.Events[0]);
        Assert.Contains("half-written", corrupted.Error, StringComparison.Ordinal);
        Assert.Single(f.Bootstrap.RequestTimes);
        Assert.Equal(Lwm2mStateStatus.Loaded, store.Load().Status);
    }

    [Fact]
    public async Task A_state_file_that_cannot_be_written_is_reported_and_the_client_registers_anyway()
    {
        // A plain file where the state directory should be: the save fails.
        await File.WriteAllTextAsync(_directory, "not a directory");
        try
        {
            await using var f = await ClientFixture.StartBootstrapAsync(ClientFixture.BootstrapOptions(_directory));
            await f.Client.StartAsync();
            Assert.True(await f.RunUntilAsync(() => f.Client.State == S.RegistrationSession, Sec(60)));
            Assert.Single(f.Events.OfType<Lwm2mStateSaveFailed>());
        }
        finally
        {
            File.Delete(_directory);
        }
    }

    [Fact]
    public async Task Server_bootstrap_trigger_deregisters_before_the_new_bootstrap_request()
    {
        await using var f = await ClientFixture.StartBootstrapAsync();
        await f.Client.StartAsync();
        Assert.True(await f.RunUntilAsync(() => f.Client.State == S.RegistrationSession, Sec(60)));
        await f.RunForAsync(Sec(20));

        f.Client.OnBootstrapTriggerExecuted();
        Assert.True(await f.RunUntilAsync(() => f.Bootstrap.RequestTimes.Count() == 2, Sec(60)));

        var deregister = Assert.Single(f.Server.Of(CoapCode.Delete, "/rd/7"));
        Assert.True(deregister.At <= f.Bootstrap.RequestTimes.Last());
        var transitions = f.Events.OfType<Lwm2mStateChanged>().Select(e => (e.From, e.To)).ToList();
        Assert.Contains((S.RegistrationSession, S.Bootstrap), transitions);
        var deregistered = f.Events.FindIndex(e => e is Lwm2mDeregistered);
        var intoBootstrap = f.Events.FindIndex(e => e is Lwm2mStateChanged { From: S.RegistrationSession, To: S.Bootstrap });
        Assert.InRange(deregistered, 0, intoBootstrap);
        Assert.True(await f.RunUntilAsync(() => f.Server.Of(CoapCode.Post, "/rd").Count() == 2, Sec(60)));
    }

    [Fact]
    public async Task RequestBootstrapAsync_before_start_answers_at_once_and_bootstraps_when_started()
    {
        await using var f = await ClientFixture.StartBootstrapAsync();
        // No loop runs yet, so nothing on the virtual network could answer: the bound only turns a hang into a failure.
        Assert.Equal(Lwm2mBootstrapRequestResult.Accepted, await f.Client.RequestBootstrapAsync().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(Lwm2mBootstrapRequestResult.AlreadyBootstrapping, await f.Client.RequestBootstrapAsync().WaitAsync(TimeSpan.FromSeconds(30)));
        await f.Client.StartAsync();
        Assert.True(await f.RunUntilAsync(() => f.Client.State == S.RegistrationSession, Sec(60)));
        Assert.Single(f.Bootstrap.RequestTimes);
    }

    [Fact]
    public async Task RequestBootstrapAsync_is_refused_only_while_bootstrapping()
    {
        await using var f = await ClientFixture.StartBootstrapAsync();
        f.Bootstrap.FinishAfter = null;
        await f.Client.StartAsync();
        Assert.True(await f.RunUntilAsync(() => f.Events.OfType<Lwm2mBootstrapRequestCompleted>().Any(), Sec(60)));

        var refused = f.Client.RequestBootstrapAsync();
        Assert.True(await f.RunUntilAsync(() => refused.IsCompleted, Sec(10)));
        Assert.Equal(Lwm2mBootstrapRequestResult.AlreadyBootstrapping, await refused);

        f.Bootstrap.SendFinish(f.Bootstrap.Received.Single().Peer);
        Assert.True(await f.RunUntilAsync(() => f.Client.State == S.RegistrationSession, Sec(60)));
        var accepted = f.Client.RequestBootstrapAsync();
        Assert.True(await f.RunUntilAsync(() => accepted.IsCompleted && f.Bootstrap.RequestTimes.Count() == 2, Sec(60)));
        Assert.Equal(Lwm2mBootstrapRequestResult.Accepted, await accepted);
        Assert.Single(f.Server.Of(CoapCode.Delete, "/rd/7"));
    }
}

using Tern.Coap.Messages;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Engine;
using S = Tern.Lwm2m.Client.Engine.Lwm2mClientState;

namespace Tern.Lwm2m.Client.Tests.Engine;

/// <summary>The ways into Bootstrap from other states: /1/x/16, the server's /1/x/9 and the application's request.</summary>
public class BootstrapTriggerTests
{
    private static TimeSpan Sec(double s) => TimeSpan.FromSeconds(s);

    private static EngineHarness Registered(string binding = "U")
    {
        var h = new EngineHarness(new Lwm2mServerInstance(0, 101, Sec(300), binding), withBootstrapAccount: true);
        h.StartClient();
        return h;
    }

    [Fact]
    public void Failed_registration_with_bootstrap_on_registration_failure_goes_to_bootstrap()
    {
        var server = new Lwm2mServerInstance(0, 101, Sec(300)) { CommunicationRetryCount = 2, CommunicationRetryTimer = Sec(10), BootstrapOnRegistrationFailure = true };
        var h = new EngineHarness(server, withBootstrapAccount: true)
        {
            Server = r => r.Kind == Lwm2mRequestKind.Register && r.ServerUri == EngineHarness.DeviceManagementUri ? Reply.With(CoapCode.Forbidden) : EngineHarness.DefaultServer(r),
        };
        h.StartClient();
        h.RunUntil(Sec(10));

        Assert.Equal([Sec(0), Sec(10)], h.SentAt(Lwm2mRequestKind.Register));
        Assert.Equal(CoapCode.Forbidden, Assert.Single(h.EventsOf<Lwm2mRegistrationFailed>()).LastCode);
        Assert.Contains((S.Registration, S.Bootstrap), h.Transitions);
        var bootstrap = Assert.Single(h.Sent, s => s.Request.Kind == Lwm2mRequestKind.BootstrapRequest);
        Assert.Equal(Sec(10), bootstrap.At);
        Assert.Equal(EngineHarness.BootstrapUri, bootstrap.Request.ServerUri);
        Assert.Empty(h.EventsOf<Lwm2mClientError>());
        Assert.Equal(S.Bootstrap, h.Engine.State);

        // The bootstrap server provides a working account; the client registers there.
        Assert.True(h.Finish(EngineHarness.Bootstrapped()).Accepted);
        Assert.Equal(S.RegistrationSession, h.Engine.State);
        Assert.Equal("coap://dm2.example:5683", h.Engine.CurrentAccount!.Security.ServerUri);
    }

    [Fact]
    public void Failed_registration_fails_when_bootstrap_on_registration_failure_is_false()
    {
        var server = new Lwm2mServerInstance(0, 101, Sec(300)) { CommunicationRetryCount = 1, BootstrapOnRegistrationFailure = false };
        var h = new EngineHarness(server, withBootstrapAccount: true) { Server = _ => Reply.With(CoapCode.Forbidden) };
        h.StartClient();
        Assert.Equal(S.Failure, h.Engine.State);
        Assert.DoesNotContain(h.Sent, s => s.Request.Kind == Lwm2mRequestKind.BootstrapRequest);
    }

    [Fact]
    public void Failed_registration_fails_when_there_is_no_bootstrap_account_to_fall_back_to()
    {
        var server = new Lwm2mServerInstance(0, 101, Sec(300)) { CommunicationRetryCount = 1, BootstrapOnRegistrationFailure = true };
        var h = new EngineHarness(server) { Server = _ => Reply.With(CoapCode.Forbidden) };
        h.StartClient();
        Assert.Equal(S.Failure, h.Engine.State);
        Assert.Equal(Lwm2mClientErrorCode.RegistrationFailed, Assert.Single(h.EventsOf<Lwm2mClientError>()).Code);
    }

    [Fact]
    public void Server_bootstrap_trigger_deregisters_first_then_bootstraps()
    {
        var h = Registered();
        h.RunUntil(Sec(40));
        h.Engine.OnServerBootstrapTriggerExecuted();
        h.Step();

        Assert.Equal([Lwm2mRequestKind.Register, Lwm2mRequestKind.Deregister, Lwm2mRequestKind.BootstrapRequest], h.Sent.Select(s => s.Request.Kind));
        Assert.Equal("/rd/5a3f", h.Sent[1].Request.Request.UriPath);
        Assert.Equal(CoapCode.Delete, h.Sent[1].Request.Request.Code);
        Assert.Equal(EngineHarness.BootstrapUri, h.Sent[2].Request.ServerUri);
        Assert.Single(h.EventsOf<Lwm2mDeregistered>());
        Assert.Equal((S.RegistrationSession, S.Bootstrap), h.Transitions.Last());
        var close = Assert.Single(h.Closes);
        Assert.Equal(EngineHarness.DeviceManagementUri, close.Close.ServerUri);
        Assert.False(close.Close.KeepContext);
        Assert.Null(h.Engine.Location);
    }

    [Fact]
    public void Server_bootstrap_trigger_waits_for_the_deregister_outcome()
    {
        var h = Registered();
        h.Server = r => r.Kind == Lwm2mRequestKind.Deregister ? Reply.Hold : EngineHarness.DefaultServer(r);
        h.Engine.OnServerBootstrapTriggerExecuted();
        h.Step();
        Assert.Equal(S.RegistrationSession, h.Engine.State);
        Assert.DoesNotContain(h.Sent, s => s.Request.Kind == Lwm2mRequestKind.BootstrapRequest);

        h.Engine.OnExchangeFailed(h.Held.Single().Id, "timeout", h.Now);
        h.Pump();
        Assert.Single(h.EventsOf<Lwm2mDeregisterFailed>());
        Assert.Equal(S.Bootstrap, h.Engine.State);
        Assert.Single(h.Sent, s => s.Request.Kind == Lwm2mRequestKind.BootstrapRequest);
    }

    [Fact]
    public void Server_bootstrap_trigger_in_queue_mode_wakes_up_to_deregister()
    {
        var h = Registered("UQ");
        h.RunUntil(Sec(100));
        Assert.Equal(S.QueueMode, h.Engine.State);
        h.Engine.OnServerBootstrapTriggerExecuted();
        h.Step();
        Assert.Equal(Sec(100), Assert.Single(h.SentAt(Lwm2mRequestKind.Deregister)));
        Assert.Equal(S.Bootstrap, h.Engine.State);
    }

    [Fact]
    public void Request_bootstrap_is_refused_while_bootstrapping_and_while_already_requested()
    {
        var h = Registered();
        Assert.Equal(Lwm2mBootstrapRequestResult.Accepted, h.Engine.RequestBootstrap());
        Assert.Equal(Lwm2mBootstrapRequestResult.AlreadyBootstrapping, h.Engine.RequestBootstrap());
        h.Step();
        Assert.Equal(S.Bootstrap, h.Engine.State);
        Assert.Equal(Lwm2mBootstrapRequestResult.AlreadyBootstrapping, h.Engine.RequestBootstrap());
        h.Step();
        Assert.Single(h.SentAt(Lwm2mRequestKind.Deregister));
        Assert.Single(h.SentAt(Lwm2mRequestKind.BootstrapRequest));
    }

    [Fact]
    public void Request_bootstrap_leaves_failure()
    {
        var server = new Lwm2mServerInstance(0, 101, Sec(300)) { CommunicationRetryCount = 1, BootstrapOnRegistrationFailure = false };
        var h = new EngineHarness(server, withBootstrapAccount: true) { Server = r => r.Kind == Lwm2mRequestKind.Register ? Reply.With(CoapCode.Forbidden) : EngineHarness.DefaultServer(r) };
        h.StartClient();
        Assert.Equal(S.Failure, h.Engine.State);

        Assert.Equal(Lwm2mBootstrapRequestResult.Accepted, h.Engine.RequestBootstrap());
        h.Step();
        Assert.Equal((S.Failure, S.Bootstrap), h.Transitions.Last());
        Assert.Single(h.SentAt(Lwm2mRequestKind.BootstrapRequest));
    }

    [Fact]
    public void Request_bootstrap_ends_a_suspension_without_a_deregister()
    {
        var h = Registered();
        h.Engine.DisableServer(null);
        h.Step();
        Assert.Equal(S.Suspended, h.Engine.State);

        h.Engine.RequestBootstrap();
        h.Step();
        Assert.Equal((S.Suspended, S.Bootstrap), h.Transitions.Last());
        Assert.Single(h.SentAt(Lwm2mRequestKind.Deregister));
        Assert.Null(h.Engine.SuspendedUntil);
    }

    [Fact]
    public void Request_bootstrap_starts_a_client_resting_in_initial()
    {
        var h = new EngineHarness(withBootstrapAccount: true);
        h.Engine.RequestBootstrap();
        h.Step();
        Assert.Equal([(S.Initial, S.Bootstrap)], h.Transitions);
        Assert.True(h.Engine.IsStarted);
    }

    [Fact]
    public void Request_bootstrap_without_a_bootstrap_account_fails_with_a_reason()
    {
        var h = new EngineHarness();
        h.StartClient();
        h.Engine.RequestBootstrap();
        h.Step();

        Assert.Equal(S.Failure, h.Engine.State);
        var error = Assert.Single(h.EventsOf<Lwm2mClientError>());
        Assert.Equal(Lwm2mClientErrorCode.BootstrapFailed, error.Code);
        Assert.Contains("no bootstrap-server account", error.Message, StringComparison.Ordinal);
        Assert.Equal([(S.RegistrationSession, S.Bootstrap), (S.Bootstrap, S.Failure)], h.Transitions.Skip(2));
    }

    [Fact]
    public void Restart_after_bootstrap_uses_the_bootstrapped_configuration()
    {
        var h = new EngineHarness(EngineHarness.BootstrapOnly());
        h.StartClient();
        h.Finish(EngineHarness.Bootstrapped());
        h.Engine.Restart();
        h.Step();

        Assert.Single(h.SentAt(Lwm2mRequestKind.BootstrapRequest));
        Assert.Equal(["coap://dm2.example:5683", "coap://dm2.example:5683"],
            h.Sent.Where(s => s.Request.Kind == Lwm2mRequestKind.Register).Select(s => s.Request.ServerUri));
    }
}

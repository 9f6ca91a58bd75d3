using Tern.Coap.Messages;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Engine;
using S = Tern.Lwm2m.Client.Engine.Lwm2mClientState;

namespace Tern.Lwm2m.Client.Tests.Engine;

public class SuspendAndControlTests
{
    private static TimeSpan Sec(double s) => TimeSpan.FromSeconds(s);

    private static EngineHarness Registered(TimeSpan? disableTimeout = null, string binding = "U")
    {
        var server = new Lwm2mServerInstance(0, 101, Sec(300), binding) { DisableTimeout = disableTimeout ?? Sec(600) };
        var h = new EngineHarness(server);
        h.StartClient();
        return h;
    }

    [Fact]
    public void Server_disable_deregisters_suspends_for_the_disable_timeout_then_registers_again()
    {
        var h = Registered(Sec(600));
        h.RunUntil(Sec(50));
        h.Engine.OnServerDisableExecuted();
        h.Step();

        var deregister = Assert.Single(h.Sent, s => s.Request.Kind == Lwm2mRequestKind.Deregister);
        Assert.Equal(CoapCode.Delete, deregister.Request.Request.Code);
        Assert.Equal("/rd/5a3f", deregister.Request.Request.UriPath);
        Assert.Equal(S.Suspended, h.Engine.State);
        Assert.Equal(EngineHarness.Start + Sec(650), Assert.Single(h.EventsOf<Lwm2mServerDisabled>()).Until);
        Assert.Single(h.EventsOf<Lwm2mDeregistered>());
        Assert.True(h.Closes.Single().Close.KeepContext);

        h.RunUntil(Sec(649));
        Assert.Single(h.SentAt(Lwm2mRequestKind.Register));
        h.RunUntil(Sec(650));
        Assert.Equal([Sec(0), Sec(650)], h.SentAt(Lwm2mRequestKind.Register));
        Assert.Equal(
            [(S.RegistrationSession, S.Suspended), (S.Suspended, S.Initial), (S.Initial, S.Registration), (S.Registration, S.RegistrationSession)],
            h.Transitions.Skip(2));
    }

    [Fact]
    public void A_failed_deregister_is_reported_and_the_client_suspends_anyway()
    {
        var h = Registered();
        h.Server = r => r.Kind == Lwm2mRequestKind.Deregister ? Reply.With(CoapCode.NotFound) : EngineHarness.DefaultServer(r);
        h.Engine.DisableServer(Sec(10));
        h.Step();
        Assert.Single(h.EventsOf<Lwm2mDeregisterFailed>());
        Assert.Equal(S.Suspended, h.Engine.State);
    }

    [Fact]
    public void The_client_resumes_only_when_both_the_server_and_the_user_suspension_expired()
    {
        var h = Registered(Sec(100));
        h.Engine.OnServerDisableExecuted();
        h.Step();
        h.Engine.DisableServer(Sec(300));
        h.Step();

        h.RunUntil(Sec(299));
        Assert.Equal(S.Suspended, h.Engine.State);
        h.RunUntil(Sec(300));
        Assert.Equal(S.RegistrationSession, h.Engine.State);
        Assert.Equal([Sec(0), Sec(300)], h.SentAt(Lwm2mRequestKind.Register));
    }

    [Fact]
    public void Disabling_again_while_suspended_replaces_the_user_timeout()
    {
        var h = Registered();
        h.Engine.DisableServer(Sec(1000));
        h.Step();
        h.RunUntil(Sec(10));
        h.Engine.DisableServer(Sec(20));
        h.Step();

        Assert.Equal(EngineHarness.Start + Sec(30), h.EventsOf<Lwm2mServerDisabled>().Last().Until);
        h.RunUntil(Sec(30));
        Assert.Equal([Sec(0), Sec(30)], h.SentAt(Lwm2mRequestKind.Register));
    }

    [Fact]
    public void An_indefinite_disable_stays_suspended_until_restart()
    {
        var h = Registered();
        h.Engine.DisableServer(null);
        h.Step();
        h.RunUntil(TimeSpan.FromDays(365));
        Assert.Equal(S.Suspended, h.Engine.State);
        Assert.Null(h.Engine.NextWakeUp);
        Assert.Null(Assert.Single(h.EventsOf<Lwm2mServerDisabled>()).Until);

        h.Engine.Restart();
        h.Step();
        Assert.Equal(S.RegistrationSession, h.Engine.State);
        Assert.Contains((S.Suspended, S.Initial), h.Transitions);
    }

    [Fact]
    public void Disabling_while_registering_suspends_without_a_deregister()
    {
        var h = new EngineHarness { Server = _ => Reply.Hold };
        h.StartClient();
        h.Engine.DisableServer(Sec(5));
        h.Step();
        Assert.Equal(S.Suspended, h.Engine.State);
        Assert.DoesNotContain(h.Sent, s => s.Request.Kind == Lwm2mRequestKind.Deregister);
        Assert.Contains((S.Registration, S.Suspended), h.Transitions);
    }

    [Fact]
    public void Disabling_in_queue_mode_wakes_up_to_deregister_first()
    {
        var h = Registered(binding: "UQ");
        h.RunUntil(Sec(100));
        Assert.Equal(S.QueueMode, h.Engine.State);
        h.Engine.DisableServer(Sec(10));
        h.Step();
        Assert.Equal(Sec(100), Assert.Single(h.SentAt(Lwm2mRequestKind.Deregister)));
        Assert.Equal(S.Suspended, h.Engine.State);
    }

    [Fact]
    public void Graceful_stop_deregisters_and_rests_in_initial()
    {
        var h = Registered();
        h.Engine.Stop(deregister: true);
        h.Step();
        Assert.Single(h.SentAt(Lwm2mRequestKind.Deregister));
        Assert.Equal(S.Initial, h.Engine.State);
        h.RunUntil(TimeSpan.FromDays(2));
        Assert.Single(h.SentAt(Lwm2mRequestKind.Register));
        Assert.Empty(h.SentAt(Lwm2mRequestKind.Update));
    }

    [Fact]
    public void Graceful_stop_while_the_register_is_in_flight_deregisters_once_the_register_succeeds()
    {
        var h = new EngineHarness(new Lwm2mServerInstance(0, 101, Sec(300)));
        h.Server = r => r.Kind == Lwm2mRequestKind.Register ? Reply.Hold : EngineHarness.DefaultServer(r);
        h.StartClient();
        var (_, held) = Assert.Single(h.Held);

        h.Engine.Stop(deregister: true);
        h.Step();
        Assert.Empty(h.SentAt(Lwm2mRequestKind.Deregister));
        h.Engine.OnResponse(held, CoapCode.Created, ["rd", "5a3f"], EngineHarness.Start);
        h.Pump();

        Assert.Single(h.SentAt(Lwm2mRequestKind.Deregister));
        Assert.Equal(S.Initial, h.Engine.State);
        Assert.False(h.Engine.IsStarted);
    }

    [Fact]
    public void Forced_stop_sends_nothing_and_closes_the_connection()
    {
        var h = Registered();
        h.Engine.Stop(deregister: false);
        h.Step();
        Assert.Empty(h.SentAt(Lwm2mRequestKind.Deregister));
        Assert.False(Assert.Single(h.Closes).Close.KeepContext);
        Assert.Equal(S.Initial, h.Engine.State);
    }

    [Fact]
    public void Restart_while_registered_deregisters_and_registers_again()
    {
        var h = Registered();
        h.RunUntil(Sec(10));
        h.Engine.Restart();
        h.Step();
        Assert.Equal([Lwm2mRequestKind.Register, Lwm2mRequestKind.Deregister, Lwm2mRequestKind.Register], h.Sent.Select(s => s.Request.Kind));
        Assert.Contains((S.RegistrationSession, S.Initial), h.Transitions);
    }

    [Fact]
    public void Failure_is_left_only_through_restart()
    {
        var server = new Lwm2mServerInstance(0, 101, Sec(300)) { CommunicationRetryCount = 1, BootstrapOnRegistrationFailure = false };
        var refuse = true;
        var h = new EngineHarness(server) { Server = r => refuse ? Reply.With(CoapCode.Forbidden) : EngineHarness.DefaultServer(r) };
        h.StartClient();
        Assert.Equal(S.Failure, h.Engine.State);
        refuse = false;

        h.Engine.TriggerUpdate();
        h.Engine.Start();
        h.RunUntil(TimeSpan.FromDays(365));
        Assert.Equal(S.Failure, h.Engine.State);
        Assert.Single(h.Sent);

        h.Engine.Restart();
        h.Step();
        Assert.Equal(S.RegistrationSession, h.Engine.State);
        Assert.Contains((S.Failure, S.Initial), h.Transitions);
    }

    [Fact]
    public void Restart_during_a_suspension_clears_its_timer_so_a_later_disable_starts_fresh()
    {
        var h = Registered();
        h.Engine.DisableServer(Sec(1000));
        h.Step();
        h.Engine.Restart();
        h.Step();
        Assert.Equal(S.RegistrationSession, h.Engine.State);

        h.Engine.DisableServer(Sec(10));
        h.Step();
        h.RunUntil(Sec(10));
        Assert.Equal(S.RegistrationSession, h.Engine.State);
        Assert.Equal(3, h.SentAt(Lwm2mRequestKind.Register).Count());
    }

    [Fact]
    public void A_negative_disable_duration_is_refused()
    {
        var h = Registered();
        Assert.Throws<ArgumentOutOfRangeException>(() => h.Engine.DisableServer(Sec(-1)));
    }
}

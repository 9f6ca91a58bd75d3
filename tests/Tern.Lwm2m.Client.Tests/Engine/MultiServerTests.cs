using Tern.Coap.Messages;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Engine;
using S = Tern.Lwm2m.Client.Engine.Lwm2mClientState;

namespace Tern.Lwm2m.Client.Tests.Engine;

/// <summary>Two LwM2M server accounts (and optionally a bootstrap server): each has its own registration session.</summary>
public class MultiServerTests
{
    private const string UriA = "coap://dm-a.example:5683";
    private const string UriB = "coap://dm-b.example:5683";
    private const ushort A = 101;
    private const ushort B = 102;

    private static TimeSpan Sec(double s) => TimeSpan.FromSeconds(s);

    /// <summary>Server A (primary) with lifetime 100 s, server B with lifetime 60 s, unless given.</summary>
    internal static EngineHarness TwoServers(Lwm2mServerInstance? a = null, Lwm2mServerInstance? b = null, bool withBootstrap = false)
    {
        var securities = new List<Lwm2mSecurityInstance>
        {
            new(1, UriA, false, Lwm2mSecurityMode.NoSec) { ShortServerId = A },
            new(2, UriB, false, Lwm2mSecurityMode.NoSec) { ShortServerId = B },
        };
        if (withBootstrap)
        {
            securities.Add(new(0, EngineHarness.BootstrapUri, true, Lwm2mSecurityMode.NoSec));
        }

        var configuration = new Lwm2mClientConfiguration(securities,
            [a ?? new Lwm2mServerInstance(0, A, Sec(100)), b ?? new Lwm2mServerInstance(1, B, Sec(60))]);
        return new EngineHarness(configuration) { Server = Answer };
    }

    /// <summary>Like the default scripted server, but each server hands out its own location.</summary>
    internal static Reply Answer(Lwm2mSendRequest request) => request.Kind == Lwm2mRequestKind.Register
        ? new Reply(CoapCode.Created, ["rd", request.ServerUri == UriA ? "a" : "b"])
        : EngineHarness.DefaultServer(request);

    private static List<TimeSpan> SentTo(EngineHarness h, string uri, Lwm2mRequestKind kind) =>
        [.. h.Sent.Where(s => s.Request.ServerUri == uri && s.Request.Kind == kind).Select(s => s.At)];

    [Fact]
    public void The_client_registers_with_every_server_each_keeping_its_own_location()
    {
        var h = TwoServers();
        h.StartClient();

        Assert.Equal([Sec(0)], SentTo(h, UriA, Lwm2mRequestKind.Register));
        Assert.Equal([Sec(0)], SentTo(h, UriB, Lwm2mRequestKind.Register));
        Assert.Equal(S.RegistrationSession, h.Engine.GetServerState(A));
        Assert.Equal(S.RegistrationSession, h.Engine.GetServerState(B));
        Assert.Equal("/rd/a", h.Engine.GetLocation(A));
        Assert.Equal("/rd/b", h.Engine.GetLocation(B));
        Assert.Equal("/rd/a", h.Engine.Location);
        Assert.Equal([A, B], h.Engine.ServerIds);
        Assert.Equal([A, B], h.EventsOf<Lwm2mRegistered>().Select(e => e.ShortServerId).Order());
        Assert.Null(h.Engine.GetServerState(999));

        // The client as a whole shows one Initial -> Registration -> RegistrationSession, as with a single server.
        Assert.Equal([(S.Initial, S.Registration), (S.Registration, S.RegistrationSession)], h.Transitions);
    }

    [Fact]
    public void Each_server_is_updated_on_the_schedule_of_its_own_lifetime()
    {
        var h = TwoServers();
        h.StartClient();
        h.RunUntil(TimeSpan.FromHours(1));

        // Lifetime 100 s: MAX(50, 100 - 93) = 50 s; lifetime 60 s: MAX(30, 60 - 93) = 30 s.
        var a = SentTo(h, UriA, Lwm2mRequestKind.Update);
        var b = SentTo(h, UriB, Lwm2mRequestKind.Update);
        Assert.Equal(3600 / 50, a.Count);
        Assert.Equal(3600 / 30, b.Count);
        Assert.All(a.Zip(a.Skip(1)), p => Assert.Equal(Sec(50), p.Second - p.First));
        Assert.All(b.Zip(b.Skip(1)), p => Assert.Equal(Sec(30), p.Second - p.First));
        Assert.Equal(b.Count, h.EventsOf<Lwm2mUpdateCompleted>().Count(e => e.ShortServerId == B));
    }

    [Fact]
    public void A_server_that_refuses_registration_fails_alone_while_the_other_stays_registered()
    {
        var refusing = new Lwm2mServerInstance(1, B, Sec(60))
        {
            CommunicationRetryCount = 2, CommunicationRetryTimer = Sec(10), SequenceRetryCount = 1, BootstrapOnRegistrationFailure = false,
        };
        var h = TwoServers(b: refusing);
        h.Server = r => r.ServerUri == UriB ? Reply.With(CoapCode.Forbidden) : Answer(r);
        h.StartClient();
        h.RunUntil(Sec(600));

        Assert.Equal([Sec(0), Sec(10)], SentTo(h, UriB, Lwm2mRequestKind.Register));
        Assert.Equal(S.Failure, h.Engine.GetServerState(B));
        Assert.Equal(CoapCode.Forbidden, Assert.Single(h.EventsOf<Lwm2mRegistrationFailed>()).LastCode);
        Assert.Equal(B, Assert.Single(h.EventsOf<Lwm2mRegistrationDeferred>()).ShortServerId);
        Assert.Empty(h.EventsOf<Lwm2mClientError>());
        Assert.Equal(S.RegistrationSession, h.Engine.GetServerState(A));
        Assert.Equal(S.RegistrationSession, h.Engine.State);
        Assert.Equal(600 / 50, SentTo(h, UriA, Lwm2mRequestKind.Update).Count);
    }

    [Fact]
    public void The_client_fails_once_every_server_has_failed()
    {
        var a = new Lwm2mServerInstance(0, A, Sec(100)) { CommunicationRetryCount = 1, BootstrapOnRegistrationFailure = false };
        var b = new Lwm2mServerInstance(1, B, Sec(60)) { CommunicationRetryCount = 1, BootstrapOnRegistrationFailure = false };
        var h = TwoServers(a, b);
        h.Server = _ => Reply.With(CoapCode.Forbidden);
        h.StartClient();

        Assert.Equal(S.Failure, h.Engine.State);
        Assert.Equal(Lwm2mClientErrorCode.RegistrationFailed, Assert.Single(h.EventsOf<Lwm2mClientError>()).Code);
        Assert.Equal(2, h.EventsOf<Lwm2mRegistrationFailed>().Count());

        h.Engine.Restart();
        h.Server = Answer;
        h.Step();
        Assert.Equal(S.RegistrationSession, h.Engine.GetServerState(A));
        Assert.Equal(S.RegistrationSession, h.Engine.GetServerState(B));
    }

    [Fact]
    public void Disable_executed_on_one_server_deregisters_and_suspends_only_that_server()
    {
        var b = new Lwm2mServerInstance(1, B, Sec(60)) { DisableTimeout = Sec(120) };
        var h = TwoServers(b: b);
        h.StartClient();
        h.RunUntil(Sec(10));
        h.Engine.OnServerDisableExecuted(B);
        h.Step();

        Assert.Equal([Sec(10)], SentTo(h, UriB, Lwm2mRequestKind.Deregister));
        Assert.Empty(SentTo(h, UriA, Lwm2mRequestKind.Deregister));
        Assert.Equal(S.Suspended, h.Engine.GetServerState(B));
        Assert.Equal(S.RegistrationSession, h.Engine.GetServerState(A));
        Assert.Equal(S.RegistrationSession, h.Engine.State);
        var disabled = Assert.Single(h.EventsOf<Lwm2mServerDisabled>());
        Assert.Equal((B, EngineHarness.Start + Sec(130)), (disabled.ShortServerId, disabled.Until));

        h.RunUntil(Sec(300));
        Assert.Equal([Sec(0), Sec(130)], SentTo(h, UriB, Lwm2mRequestKind.Register));
        Assert.Equal([Sec(0)], SentTo(h, UriA, Lwm2mRequestKind.Register));
        Assert.Equal([Sec(50), Sec(100), Sec(150), Sec(200), Sec(250), Sec(300)], SentTo(h, UriA, Lwm2mRequestKind.Update));
        Assert.Contains(h.Events.OfType<Lwm2mServerStateChanged>(), e => e.ShortServerId == B && e.From == S.Suspended && e.To == S.Initial);
    }

    [Fact]
    public void A_registration_update_trigger_updates_only_its_own_server()
    {
        var h = TwoServers();
        h.StartClient();
        h.RunUntil(Sec(20));
        h.Engine.TriggerUpdate(B);
        h.Step();

        Assert.Equal([Sec(20)], SentTo(h, UriB, Lwm2mRequestKind.Update));
        Assert.Empty(SentTo(h, UriA, Lwm2mRequestKind.Update));
    }

    [Fact]
    public void Queue_mode_is_per_server()
    {
        // Lifetime 300 s: the first Update is due at 207 s, after the 93 s queue-mode timeout.
        var a = new Lwm2mServerInstance(0, A, Sec(300), "UQ");
        var h = TwoServers(a: a);
        h.StartClient();
        h.RunUntil(Sec(100));

        Assert.Equal(S.QueueMode, h.Engine.GetServerState(A));
        Assert.Equal(S.RegistrationSession, h.Engine.GetServerState(B));
        Assert.Equal(A, Assert.Single(h.EventsOf<Lwm2mQueueModeRxOff>().DistinctBy(e => e.ShortServerId)).ShortServerId);
        Assert.All(h.Closes, c => Assert.Equal(UriA, c.Close.ServerUri));
    }

    [Fact]
    public void Bootstrap_requested_while_registered_deregisters_every_server_before_the_bootstrap_request()
    {
        var h = TwoServers(withBootstrap: true);
        h.StartClient();
        h.RunUntil(Sec(10));
        h.Server = r => r.Kind == Lwm2mRequestKind.Deregister && r.ServerUri == UriB ? Reply.Hold : Answer(r);
        Assert.Equal(Lwm2mBootstrapRequestResult.Accepted, h.Engine.RequestBootstrap());
        h.Step();

        Assert.Single(SentTo(h, UriA, Lwm2mRequestKind.Deregister));
        Assert.Single(SentTo(h, UriB, Lwm2mRequestKind.Deregister));
        Assert.Empty(h.SentAt(Lwm2mRequestKind.BootstrapRequest));
        Assert.Equal(S.RegistrationSession, h.Engine.GetServerState(B));

        var (_, held) = Assert.Single(h.Held);
        h.Engine.OnResponse(held, CoapCode.Deleted, [], h.Now);
        h.Pump();
        h.RunFor(Sec(1));

        Assert.Single(h.SentAt(Lwm2mRequestKind.BootstrapRequest));
        Assert.Equal(S.Bootstrap, h.Engine.State);
        Assert.Equal(2, h.EventsOf<Lwm2mDeregistered>().Count());
        Assert.Empty(h.Engine.ServerIds);
    }

    [Fact]
    public void Registration_failure_with_bootstrap_on_failure_deregisters_the_other_server_and_bootstraps()
    {
        var b = new Lwm2mServerInstance(1, B, Sec(60)) { CommunicationRetryCount = 1, BootstrapOnRegistrationFailure = true };
        var h = TwoServers(b: b, withBootstrap: true);
        h.Server = r => r.Kind == Lwm2mRequestKind.Register && r.ServerUri == UriB ? Reply.With(CoapCode.Forbidden) : Answer(r);
        h.StartClient();
        h.RunFor(Sec(1));

        Assert.Single(SentTo(h, UriA, Lwm2mRequestKind.Deregister));
        Assert.Single(h.SentAt(Lwm2mRequestKind.BootstrapRequest));
        Assert.Equal(S.Bootstrap, h.Engine.State);
        var kinds = h.Sent.Select(s => s.Request.Kind).ToList();
        Assert.True(kinds.IndexOf(Lwm2mRequestKind.Deregister) < kinds.IndexOf(Lwm2mRequestKind.BootstrapRequest));
    }

    [Fact]
    public void A_graceful_stop_deregisters_every_server_and_rests_in_initial()
    {
        var h = TwoServers();
        h.StartClient();
        h.RunUntil(Sec(10));
        h.Engine.Stop(deregister: true);
        h.Step();

        Assert.Single(SentTo(h, UriA, Lwm2mRequestKind.Deregister));
        Assert.Single(SentTo(h, UriB, Lwm2mRequestKind.Deregister));
        Assert.Equal(S.Initial, h.Engine.State);
        Assert.False(h.Engine.IsStarted);
        Assert.Null(h.Engine.GetServerState(A));
        Assert.Equal([(S.RegistrationSession, S.Initial)], h.Transitions.Skip(2));
    }

    [Fact]
    public void An_application_disable_of_one_server_leaves_the_other_registered()
    {
        var h = TwoServers();
        h.StartClient();
        h.Engine.DisableServer(A, Sec(30));
        h.Step();

        Assert.Equal(S.Suspended, h.Engine.GetServerState(A));
        Assert.Equal(S.Suspended, h.Engine.State);
        Assert.Equal(S.RegistrationSession, h.Engine.GetServerState(B));
        h.RunUntil(Sec(30));
        Assert.Equal(S.RegistrationSession, h.Engine.GetServerState(A));
        Assert.Equal([Sec(0), Sec(30)], SentTo(h, UriA, Lwm2mRequestKind.Register));
    }
}

using Tern.Coap.Messages;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Model;
using S = Tern.Lwm2m.Client.Engine.Lwm2mClientState;

namespace Tern.Lwm2m.Client.Tests.Engine;

public class RegistrationStateTests
{
    private static TimeSpan Sec(double s) => TimeSpan.FromSeconds(s);

    [Fact]
    public void Initial_with_a_server_account_registers_and_enters_the_session()
    {
        var h = new EngineHarness();
        h.StartClient();

        Assert.Equal([(S.Initial, S.Registration), (S.Registration, S.RegistrationSession)], h.Transitions);
        var registered = Assert.Single(h.EventsOf<Lwm2mRegistered>());
        Assert.Equal("/rd/5a3f", registered.Location);
        Assert.Equal(Lwm2mVersion.Lwm2m12, registered.Version);
        Assert.Equal((ushort)101, registered.ShortServerId);
        Assert.Equal("/rd", Assert.Single(h.Sent).Request.Request.UriPath);
    }

    [Fact]
    public void Nothing_happens_before_start()
    {
        var h = new EngineHarness();
        h.RunUntil(TimeSpan.FromDays(1));
        Assert.Empty(h.Sent);
        Assert.Equal(S.Initial, h.Engine.State);
        Assert.Null(h.Engine.NextWakeUp);
    }

    [Fact]
    public void Initial_with_an_invalid_configuration_goes_to_failure_with_an_error_event()
    {
        var bad = new Lwm2mClientConfiguration(
            [new Lwm2mSecurityInstance(0, "not a uri", false, Lwm2mSecurityMode.NoSec) { ShortServerId = 1 }],
            [new Lwm2mServerInstance(0, 1, Sec(60))]);
        var engine = new Lwm2mClientEngine(bad, EngineHarness.DefaultOptions());
        engine.Start();
        engine.Step(EngineHarness.Start);

        Assert.Equal(S.Failure, engine.State);
        Assert.False(engine.TryTakeAction(out _));
        var events = Drain(engine);
        var error = Assert.Single(events.OfType<Lwm2mClientError>());
        Assert.Equal(Lwm2mClientErrorCode.ConfigurationInvalid, error.Code);
        Assert.Contains("/0/0/0", error.Message, StringComparison.Ordinal);
        Assert.Contains(new Lwm2mStateChanged(EngineHarness.Start, S.Initial, S.Failure), events);
    }

    [Fact]
    public void Registration_attempts_follow_the_exponential_retry_timer_and_the_sequence_delay()
    {
        // /1/x/17 = 3 attempts, /1/x/18 = 10 s, /1/x/19 = 100 s, /1/x/20 = 2 sequences; the server always refuses.
        var server = new Lwm2mServerInstance(0, 101, Sec(300))
        {
            CommunicationRetryCount = 3, CommunicationRetryTimer = Sec(10), SequenceDelayTimer = Sec(100), SequenceRetryCount = 2,
            BootstrapOnRegistrationFailure = false,
        };
        var h = new EngineHarness(server) { Server = _ => Reply.With(CoapCode.Forbidden) };
        h.StartClient();
        h.RunUntil(TimeSpan.FromDays(10));

        // Sequence 1 at 0, +10, +20 (10*2^0, 10*2^1); sequence 2 starts 100 s after the last failure.
        Assert.Equal([Sec(0), Sec(10), Sec(30), Sec(130), Sec(140), Sec(160)], h.SentAt(Lwm2mRequestKind.Register));
        Assert.Equal(
            [Sec(10), Sec(30), Sec(130), Sec(140), Sec(160)],
            h.EventsOf<Lwm2mRegistrationDeferred>().Select(d => d.RetryAt - EngineHarness.Start));
        Assert.All(h.EventsOf<Lwm2mRegistrationDeferred>(), d => Assert.Equal(Lwm2mDeferredReason.ServerRegistration, d.Reason));
        Assert.Equal(CoapCode.Forbidden, Assert.Single(h.EventsOf<Lwm2mRegistrationFailed>()).LastCode);
        Assert.Equal(S.Failure, h.Engine.State);
        Assert.Equal((S.Registration, S.Failure), h.Transitions.Last());
    }

    [Fact]
    public void Registration_uses_the_specification_defaults_when_the_retry_resources_are_absent()
    {
        var h = new EngineHarness { Server = _ => Reply.Timeout };
        h.StartClient();
        h.RunUntil(TimeSpan.FromDays(3));

        // 5 attempts, 60 s * 2^(n-1) apart, one sequence.
        Assert.Equal([Sec(0), Sec(60), Sec(180), Sec(420), Sec(900)], h.SentAt(Lwm2mRequestKind.Register));
        Assert.All(h.EventsOf<Lwm2mRegistrationDeferred>(), d => Assert.Equal(Lwm2mDeferredReason.ServerConnect, d.Reason));
        Assert.Equal(5, h.EventsOf<Lwm2mNetworkError>().Count());
        Assert.Equal(S.Failure, h.Engine.State);
    }

    [Fact]
    public void A_recovering_server_is_registered_with_on_the_next_attempt()
    {
        var refusals = 2;
        var h = new EngineHarness { Server = r => refusals-- > 0 ? Reply.With(CoapCode.ServiceUnavailable) : EngineHarness.DefaultServer(r) };
        h.StartClient();
        h.RunUntil(Sec(1000));

        Assert.Equal([Sec(0), Sec(60), Sec(180)], h.SentAt(Lwm2mRequestKind.Register));
        Assert.All(h.EventsOf<Lwm2mRegistrationDeferred>(), d => Assert.Equal(Lwm2mDeferredReason.ServiceUnavailable, d.Reason));
        Assert.Equal(S.RegistrationSession, h.Engine.State);
        Assert.Contains((S.Registration, S.RegistrationSession), h.Transitions);
    }

    [Fact]
    public void Precondition_failed_falls_back_to_the_next_lower_allowed_version_without_using_an_attempt()
    {
        var h = new EngineHarness
        {
            Server = r => Query(r, "lwm2m") == "1.0" ? EngineHarness.DefaultServer(r) : Reply.With(CoapCode.PreconditionFailed),
        };
        h.StartClient();

        Assert.Equal(["1.2", "1.1", "1.0"], h.Sent.Select(s => Query(s.Request, "lwm2m")));
        Assert.All(h.Sent, s => Assert.Equal(TimeSpan.Zero, s.At));
        Assert.Empty(h.EventsOf<Lwm2mRegistrationDeferred>());
        Assert.Equal(Lwm2mVersion.Lwm2m10, Assert.Single(h.EventsOf<Lwm2mRegistered>()).Version);
    }

    [Fact]
    public void Precondition_failed_skips_versions_the_application_does_not_allow()
    {
        var options = new Lwm2mClientOptions("node-1") { AllowedVersions = [Lwm2mVersion.Lwm2m12, Lwm2mVersion.Lwm2m10] };
        var h = new EngineHarness(options: options) { Server = r => Query(r, "lwm2m") == "1.2" ? Reply.With(CoapCode.PreconditionFailed) : EngineHarness.DefaultServer(r) };
        h.StartClient();
        Assert.Equal(["1.2", "1.0"], h.Sent.Select(s => Query(s.Request, "lwm2m")));
    }

    [Fact]
    public void Precondition_failed_on_the_lowest_allowed_version_counts_as_a_failed_attempt()
    {
        var options = new Lwm2mClientOptions("node-1") { AllowedVersions = [Lwm2mVersion.Lwm2m12] };
        var h = new EngineHarness(options: options) { Server = _ => Reply.With(CoapCode.PreconditionFailed) };
        h.StartClient();
        h.RunUntil(Sec(61));
        Assert.Equal([Sec(0), Sec(60)], h.SentAt(Lwm2mRequestKind.Register));
    }

    [Fact]
    public void A_created_response_without_a_location_path_is_a_failed_attempt()
    {
        var h = new EngineHarness { Server = _ => Reply.With(CoapCode.Created) };
        h.StartClient();
        Assert.Equal(S.Registration, h.Engine.State);
        Assert.Single(h.EventsOf<Lwm2mRegistrationDeferred>());
    }

    [Fact]
    public void An_exchange_in_progress_protects_the_account_instances_only()
    {
        var h = new EngineHarness { Server = _ => Reply.Hold };
        h.StartClient();

        Assert.True(h.Engine.IsOperationOngoing(new Lwm2mPath(1, 0)));
        Assert.True(h.Engine.IsOperationOngoing(new Lwm2mPath(1, 0, 1)));
        Assert.True(h.Engine.IsOperationOngoing(new Lwm2mPath(0)));
        Assert.False(h.Engine.IsOperationOngoing(new Lwm2mPath(1, 5)));
        Assert.False(h.Engine.IsOperationOngoing(new Lwm2mPath(3, 0)));

        h.Engine.OnResponse(h.Held[0].Id, CoapCode.Created, ["rd", "x"], h.Now);
        Assert.False(h.Engine.IsOperationOngoing(new Lwm2mPath(1, 0)));
    }

    [Fact]
    public void A_late_response_to_an_abandoned_exchange_is_ignored()
    {
        var h = new EngineHarness { Server = _ => Reply.Hold };
        h.StartClient();
        var stale = h.Held[0].Id;
        h.Engine.Restart();
        h.Step();

        h.Engine.OnResponse(stale, CoapCode.Created, ["rd", "old"], h.Now);
        Assert.Equal(S.Registration, h.Engine.State);
        Assert.Empty(h.EventsOf<Lwm2mRegistered>());
    }

    internal static string? Query(Lwm2mSendRequest request, string name) => Query(request.Request, name);

    internal static string? Query(CoapMessage message, string name) =>
        message.UriQueries.FirstOrDefault(q => q.StartsWith(name + "=", StringComparison.Ordinal))?[(name.Length + 1)..];

    private static List<Lwm2mClientEvent> Drain(Lwm2mClientEngine engine)
    {
        var list = new List<Lwm2mClientEvent>();
        while (engine.TryTakeEvent(out var e))
        {
            list.Add(e);
        }

        return list;
    }
}

using Tern.Coap.Messages;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Model;
using S = Tern.Lwm2m.Client.Engine.Lwm2mClientState;

namespace Tern.Lwm2m.Client.Tests.Engine;

/// <summary>The Bootstrap state of seed 001: its transitions in the figures and its row of the error table.</summary>
public class BootstrapStateTests
{
    private static TimeSpan Sec(double s) => TimeSpan.FromSeconds(s);

    private static Lwm2mClientOptions Options(TimeSpan? retryTimeout = null, int retryCount = 3, TimeSpan? finishTimeout = null) => new("node-1")
    {
        Objects = [new(1, "1.1", [0]), new(3, null, [0])],
        BootstrapRetryTimeout = retryTimeout ?? Sec(60),
        BootstrapRetryCount = retryCount,
        BootstrapFinishTimeout = finishTimeout ?? Sec(247),
    };

    private static EngineHarness Bootstrapping(Lwm2mClientOptions? options = null)
    {
        var h = new EngineHarness(EngineHarness.BootstrapOnly(), options ?? Options());
        h.StartClient();
        return h;
    }

    [Fact]
    public void Initial_with_only_a_bootstrap_account_sends_bootstrap_request_to_that_account()
    {
        var h = Bootstrapping();

        Assert.Equal([(S.Initial, S.Bootstrap)], h.Transitions);
        var (at, send) = Assert.Single(h.Sent);
        Assert.Equal(TimeSpan.Zero, at);
        Assert.Equal(Lwm2mRequestKind.BootstrapRequest, send.Kind);
        Assert.Equal(EngineHarness.BootstrapUri, send.ServerUri);
        Assert.Equal(CoapCode.Post, send.Request.Code);
        Assert.Equal(CoapMessageType.Confirmable, send.Request.Type);
        Assert.Equal("/bs", send.Request.UriPath);
        Assert.Equal(["ep=node-1", "pct=112"], send.Request.UriQueries);
        Assert.Equal(EngineHarness.BootstrapUri, Assert.Single(h.EventsOf<Lwm2mBootstrapRequestCompleted>()).ServerUri);
        Assert.Equal(S.Bootstrap, h.Engine.State);
    }

    [Fact]
    public void Bootstrap_request_has_no_pct_when_only_lwm2m_1_0_is_allowed()
    {
        var options = new Lwm2mClientOptions("old-node") { AllowedVersions = [Lwm2mVersion.Lwm2m10] };
        var h = Bootstrapping(options);
        Assert.Equal(["ep=old-node"], Assert.Single(h.Sent).Request.Request.UriQueries);
    }

    [Fact]
    public void Accepted_finish_saves_the_configuration_and_registers_with_the_new_server()
    {
        var h = Bootstrapping();
        h.RunUntil(Sec(20));
        var candidate = EngineHarness.Bootstrapped();

        var result = h.Finish(candidate);

        Assert.True(result.Accepted);
        Assert.Equal(CoapCode.Changed, result.Code);
        Assert.Equal([(S.Initial, S.Bootstrap), (S.Bootstrap, S.Registration), (S.Registration, S.RegistrationSession)], h.Transitions);
        var register = h.Sent.Last();
        Assert.Equal(Lwm2mRequestKind.Register, register.Request.Kind);
        Assert.Equal("coap://dm2.example:5683", register.Request.ServerUri);
        Assert.Equal("lt=120", register.Request.Request.UriQueries.Single(q => q.StartsWith("lt=", StringComparison.Ordinal)));
        Assert.Same(candidate, Assert.Single(h.Saved).Configuration);
        Assert.Same(candidate, h.Engine.Configuration);
        Assert.Contains(h.Closes, c => c.Close.ServerUri == EngineHarness.BootstrapUri && !c.Close.KeepContext);

        var order = h.Events.Where(e => e is not (Lwm2mStateChanged or Lwm2mServerStateChanged)).Select(e => e.GetType()).ToList();
        Assert.Equal([typeof(Lwm2mBootstrapRequestCompleted), typeof(Lwm2mBootstrapTransferCompleted), typeof(Lwm2mBootstrapped), typeof(Lwm2mRegistered)], order);
        Assert.Equal(1, Assert.Single(h.EventsOf<Lwm2mBootstrapped>()).ServerAccounts);
        Assert.Equal((ushort)202, Assert.Single(h.EventsOf<Lwm2mRegistered>()).ShortServerId);
    }

    [Fact]
    public void Refused_bootstrap_request_is_retried_with_doubling_waits_then_fails()
    {
        var h = new EngineHarness(EngineHarness.BootstrapOnly(), Options(retryTimeout: Sec(10), retryCount: 3)) { Server = _ => Reply.With(CoapCode.BadRequest) };
        h.StartClient();
        h.RunUntil(TimeSpan.FromDays(1));

        // Retry n waits 10 s * 2^(n-1) after the failure: 0, 10, 10+20, 30+40.
        Assert.Equal([Sec(0), Sec(10), Sec(30), Sec(70)], h.SentAt(Lwm2mRequestKind.BootstrapRequest));
        var deferred = h.EventsOf<Lwm2mBootstrapDeferred>().ToList();
        Assert.Equal([Sec(10), Sec(30), Sec(70)], deferred.Select(d => d.RetryAt - EngineHarness.Start));
        Assert.All(deferred, d => Assert.Equal(Lwm2mDeferredReason.BootstrapSequence, d.Reason));
        var failed = Assert.Single(h.EventsOf<Lwm2mBootstrapFailed>());
        Assert.Equal(4, failed.Attempts);
        Assert.Equal(CoapCode.BadRequest, failed.LastCode);
        Assert.Equal(Lwm2mClientErrorCode.BootstrapFailed, Assert.Single(h.EventsOf<Lwm2mClientError>()).Code);
        Assert.Equal(S.Failure, h.Engine.State);
        Assert.Equal((S.Bootstrap, S.Failure), h.Transitions.Last());
        Assert.Equal(4, h.Closes.Count(c => c.Close.ServerUri == EngineHarness.BootstrapUri));
        Assert.Empty(h.SentAt(Lwm2mRequestKind.Register));
    }

    [Fact]
    public void Any_retry_budget_sends_count_plus_one_requests_at_doubling_intervals_then_fails()
    {
        var random = new Random(2026);
        for (var round = 0; round < 200; round++)
        {
            var timeout = Sec(random.Next(0, 500));
            var count = random.Next(0, 8);
            var h = new EngineHarness(EngineHarness.BootstrapOnly(), Options(retryTimeout: timeout, retryCount: count))
            {
                Server = _ => random.Next(2) == 0 ? Reply.Timeout : Reply.With(CoapCode.ServiceUnavailable),
            };
            h.StartClient();
            h.RunUntil(TimeSpan.FromDays(400));

            var expected = new List<TimeSpan> { TimeSpan.Zero };
            for (var retry = 1; retry <= count; retry++)
            {
                expected.Add(expected[^1] + (timeout * (1 << (retry - 1))));
            }

            Assert.Equal(expected, h.SentAt(Lwm2mRequestKind.BootstrapRequest));
            Assert.Equal(S.Failure, h.Engine.State);
            Assert.Equal(count + 1, Assert.Single(h.EventsOf<Lwm2mBootstrapFailed>()).Attempts);
        }
    }

    [Fact]
    public void Unanswered_bootstrap_request_is_a_bootstrap_connect_failure_of_the_bootstrap_server()
    {
        var h = new EngineHarness(EngineHarness.BootstrapOnly(), Options(retryTimeout: Sec(5), retryCount: 1)) { Server = _ => Reply.Timeout };
        h.StartClient();
        h.RunUntil(Sec(100));

        Assert.Equal([Sec(0), Sec(5)], h.SentAt(Lwm2mRequestKind.BootstrapRequest));
        Assert.Equal(Lwm2mDeferredReason.BootstrapConnect, Assert.Single(h.EventsOf<Lwm2mBootstrapDeferred>()).Reason);
        Assert.All(h.EventsOf<Lwm2mNetworkError>(), e =>
        {
            Assert.Equal(Lwm2mClientEngine.BootstrapShortServerId, e.ShortServerId);
            Assert.Equal(Lwm2mRequestKind.BootstrapRequest, e.Request);
        });
        Assert.Equal(2, h.EventsOf<Lwm2mNetworkError>().Count());
        Assert.Null(Assert.Single(h.EventsOf<Lwm2mBootstrapFailed>()).LastCode);
        Assert.Equal(S.Failure, h.Engine.State);
    }

    [Fact]
    public void Zero_retries_fail_after_the_first_attempt()
    {
        var h = new EngineHarness(EngineHarness.BootstrapOnly(), Options(retryCount: 0)) { Server = _ => Reply.With(CoapCode.InternalServerError) };
        h.StartClient();
        Assert.Equal(S.Failure, h.Engine.State);
        Assert.Single(h.Sent);
        Assert.Empty(h.EventsOf<Lwm2mBootstrapDeferred>());
    }

    [Fact]
    public void Missing_finish_times_out_after_the_finish_timeout_and_retries_then_fails()
    {
        var h = Bootstrapping(Options(retryTimeout: Sec(60), retryCount: 1, finishTimeout: Sec(247)));
        h.RunUntil(TimeSpan.FromDays(1));

        // Request at 0 (2.04), no Finish by 247; retry at 247 + 60 = 307, no Finish by 307 + 247 = 554: Failure.
        Assert.Equal([Sec(0), Sec(307)], h.SentAt(Lwm2mRequestKind.BootstrapRequest));
        var deferred = Assert.Single(h.EventsOf<Lwm2mBootstrapDeferred>());
        Assert.Equal(Sec(247), deferred.Time - EngineHarness.Start);
        Assert.Equal(Lwm2mDeferredReason.BootstrapSequence, deferred.Reason);
        var failed = Assert.Single(h.EventsOf<Lwm2mBootstrapFailed>());
        Assert.Equal(Sec(554), failed.Time - EngineHarness.Start);
        Assert.Equal(Lwm2mDeferredReason.BootstrapSequence, failed.Reason);
        Assert.Equal(S.Failure, h.Engine.State);
    }

    [Fact]
    public void Each_bootstrap_server_request_starts_the_finish_timeout_over()
    {
        var h = Bootstrapping(Options(finishTimeout: Sec(100)));
        h.RunUntil(Sec(90));
        h.Engine.OnBootstrapServerRequest(h.Now);
        Assert.Equal(EngineHarness.Start + Sec(190), h.Engine.NextWakeUp);

        h.RunUntil(Sec(189));
        Assert.Empty(h.EventsOf<Lwm2mBootstrapDeferred>());
        h.RunUntil(Sec(190));
        Assert.Equal(Sec(190), Assert.Single(h.EventsOf<Lwm2mBootstrapDeferred>()).Time - EngineHarness.Start);
    }

    [Fact]
    public void Finish_without_a_server_account_is_refused_with_4_06_and_a_reason_and_bootstrap_goes_on()
    {
        var h = Bootstrapping(Options(finishTimeout: Sec(100)));
        h.RunUntil(Sec(50));

        var refused = h.Finish(EngineHarness.BootstrapOnly());

        Assert.False(refused.Accepted);
        Assert.Equal(CoapCode.NotAcceptable, refused.Code);
        Assert.Contains("no LwM2M server account", refused.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(refused.Reason, Assert.Single(h.EventsOf<Lwm2mBootstrapFinishRefused>()).Reason);
        Assert.Equal(S.Bootstrap, h.Engine.State);
        Assert.Empty(h.Saved);
        // The refusal gives the bootstrap server a fresh Finish timeout to fix the configuration.
        Assert.Equal(EngineHarness.Start + Sec(150), h.Engine.NextWakeUp);

        h.RunUntil(Sec(120));
        Assert.True(h.Finish(EngineHarness.Bootstrapped()).Accepted);
        Assert.Equal(S.RegistrationSession, h.Engine.State);
        Assert.Single(h.SentAt(Lwm2mRequestKind.BootstrapRequest));
    }

    [Fact]
    public void Finish_with_an_unpaired_security_instance_names_the_missing_server_instance()
    {
        var h = Bootstrapping();
        var broken = new Lwm2mClientConfiguration(
            [new Lwm2mSecurityInstance(0, EngineHarness.BootstrapUri, true, Lwm2mSecurityMode.NoSec),
             new Lwm2mSecurityInstance(1, "coap://dm2.example", false, Lwm2mSecurityMode.NoSec) { ShortServerId = 5 }],
            [new Lwm2mServerInstance(0, 6, Sec(60))]);

        var result = h.Finish(broken);

        Assert.Equal(CoapCode.NotAcceptable, result.Code);
        Assert.Contains("no Server (1) instance has short server id 5", result.Reason, StringComparison.Ordinal);
        Assert.Contains("/1/0/0", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Finish_outside_bootstrap_is_refused_and_changes_nothing()
    {
        var h = new EngineHarness();
        h.StartClient();

        var result = h.Finish(EngineHarness.Bootstrapped());

        Assert.Equal(CoapCode.NotAcceptable, result.Code);
        Assert.Equal(S.RegistrationSession, h.Engine.State);
        Assert.Equal(EngineHarness.DeviceManagementUri, h.Engine.CurrentAccount!.Security.ServerUri);
        Assert.Empty(h.Saved);
    }

    [Fact]
    public void Finish_arriving_before_the_bootstrap_request_answer_settles_that_request()
    {
        var h = new EngineHarness(EngineHarness.BootstrapOnly(), Options()) { Server = r => r.Kind == Lwm2mRequestKind.BootstrapRequest ? Reply.Hold : EngineHarness.DefaultServer(r) };
        h.StartClient();
        var stale = h.Held.Single().Id;

        Assert.True(h.Finish(EngineHarness.Bootstrapped()).Accepted);
        h.Engine.OnExchangeFailed(stale, "timeout", h.Now);
        h.Pump();

        Assert.Equal(S.RegistrationSession, h.Engine.State);
        Assert.Empty(h.EventsOf<Lwm2mBootstrapDeferred>());
    }

    [Fact]
    public void Client_hold_off_time_delays_the_first_bootstrap_request()
    {
        var h = new EngineHarness(EngineHarness.BootstrapOnly(holdOff: Sec(30)), Options());
        h.StartClient();
        Assert.Empty(h.Sent);
        h.RunUntil(Sec(30));
        Assert.Equal([Sec(30)], h.SentAt(Lwm2mRequestKind.BootstrapRequest));
    }

    [Fact]
    public void During_bootstrap_security_server_and_access_control_are_in_use()
    {
        var h = Bootstrapping();
        Assert.True(h.Engine.IsOperationOngoing(new Lwm2mPath(0, 1)));
        Assert.True(h.Engine.IsOperationOngoing(new Lwm2mPath(1)));
        Assert.True(h.Engine.IsOperationOngoing(new Lwm2mPath(2, 0, 2)));
        Assert.False(h.Engine.IsOperationOngoing(new Lwm2mPath(3, 0)));
    }

    [Fact]
    public void Pause_during_bootstrap_abandons_the_session_and_resume_starts_it_over()
    {
        var h = Bootstrapping(Options(retryCount: 0));
        h.RunUntil(Sec(10));
        h.Engine.Pause();
        h.Step();
        h.RunUntil(Sec(1000));
        Assert.Equal(S.Bootstrap, h.Engine.State);

        h.Engine.Resume();
        h.Step();
        Assert.Equal([Sec(0), Sec(1000)], h.SentAt(Lwm2mRequestKind.BootstrapRequest));
        Assert.Empty(h.EventsOf<Lwm2mBootstrapDeferred>());
    }

    [Theory]
    [InlineData(-1, 3, 247)]
    [InlineData(60, -1, 247)]
    [InlineData(60, 3, 0)]
    public void Unusable_bootstrap_options_are_refused(int retryTimeout, int retryCount, int finishTimeout)
    {
        var options = Options(Sec(retryTimeout), retryCount, Sec(finishTimeout));
        var error = Assert.Throws<ArgumentException>(() => new Lwm2mClientEngine(EngineHarness.BootstrapOnly(), options));
        Assert.Contains("Bootstrap", error.Message, StringComparison.Ordinal);
    }
}

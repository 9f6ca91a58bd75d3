using Tern.Coap.Messages;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Engine;
using S = Tern.Lwm2m.Client.Engine.Lwm2mClientState;

namespace Tern.Lwm2m.Client.Tests.Engine;

public class RegistrationSessionTests
{
    private static TimeSpan Sec(double s) => TimeSpan.FromSeconds(s);

    [Fact]
    public void Thirty_days_at_lifetime_60_seconds_send_exactly_one_update_every_30_seconds()
    {
        // MAX(60/2, 60 - MAX_TRANSMIT_WAIT 93 s) = 30 s.
        var h = new EngineHarness(new Lwm2mServerInstance(0, 101, Sec(60)));
        h.StartClient();
        h.RunUntil(TimeSpan.FromDays(30));

        var updates = h.SentAt(Lwm2mRequestKind.Update).ToList();
        Assert.Equal(30 * 86400 / 30, updates.Count);
        Assert.Equal(Sec(30), updates[0]);
        Assert.All(updates.Zip(updates.Skip(1)), p => Assert.Equal(Sec(30), p.Second - p.First));
        Assert.Single(h.SentAt(Lwm2mRequestKind.Register));
        Assert.Equal(updates.Count, h.EventsOf<Lwm2mUpdateCompleted>().Count());
    }

    [Fact]
    public void A_long_lifetime_sends_the_update_max_transmit_wait_before_expiry()
    {
        // MAX(300/2, 300 - 93) = 207 s.
        var h = new EngineHarness(new Lwm2mServerInstance(0, 101, Sec(300)));
        h.StartClient();
        h.RunUntil(Sec(700));
        Assert.Equal([Sec(207), Sec(414), Sec(621)], h.SentAt(Lwm2mRequestKind.Update));
    }

    [Fact]
    public void Lifetime_zero_never_sends_an_update()
    {
        var h = new EngineHarness(new Lwm2mServerInstance(0, 101, TimeSpan.Zero));
        h.StartClient();
        h.RunUntil(TimeSpan.FromDays(30));
        Assert.Empty(h.SentAt(Lwm2mRequestKind.Update));
        Assert.Null(h.Engine.NextWakeUp);
    }

    [Fact]
    public void An_update_period_shorter_than_the_lifetime_schedule_is_used()
    {
        var options = new Lwm2mClientOptions("node-1") { UpdatePeriod = Sec(50) };
        var h = new EngineHarness(new Lwm2mServerInstance(0, 101, Sec(300)), options);
        h.StartClient();
        h.RunUntil(Sec(160));
        Assert.Equal([Sec(50), Sec(100), Sec(150)], h.SentAt(Lwm2mRequestKind.Update));
    }

    [Fact]
    public void A_lifetime_change_sends_an_immediate_update_with_the_new_lifetime_and_reschedules()
    {
        var h = new EngineHarness(new Lwm2mServerInstance(0, 101, Sec(300)));
        h.StartClient();
        h.RunUntil(Sec(100));
        h.Engine.UpdateServerInstance(new Lwm2mServerInstance(0, 101, Sec(60)));
        h.Step();
        h.RunUntil(Sec(140));

        Assert.Equal([Sec(100), Sec(130)], h.SentAt(Lwm2mRequestKind.Update));
        var first = h.Sent.First(s => s.Request.Kind == Lwm2mRequestKind.Update).Request.Request;
        Assert.Equal(["lt=60"], first.UriQueries);
        Assert.True(first.Payload.IsEmpty);
        Assert.Empty(h.Sent.Last().Request.Request.UriQueries);
    }

    [Fact]
    public void A_changed_object_list_sends_an_update_with_the_new_links()
    {
        var h = new EngineHarness();
        h.StartClient();
        h.RunUntil(Sec(20));
        h.Engine.SetObjects([new(1, "1.1", [0]), new(3, null, [0]), new(5, null, [0])]);
        h.Step();

        var update = Assert.Single(h.Sent, s => s.Request.Kind == Lwm2mRequestKind.Update);
        Assert.Equal(Sec(20), update.At);
        Assert.Equal("/rd/5a3f", update.Request.Request.UriPath);
        Assert.Equal("</>;rt=\"oma.lwm2m\";ct=112,</1>;ver=1.1,</1/0>,</3/0>,</5/0>", System.Text.Encoding.UTF8.GetString(update.Request.Request.Payload.Span));
    }

    [Fact]
    public void Setting_the_same_objects_again_sends_nothing()
    {
        var h = new EngineHarness();
        h.StartClient();
        h.Engine.SetObjects([new(1, "1.1", [0]), new(3, null, [0])]);
        h.RunUntil(Sec(100));
        Assert.Empty(h.SentAt(Lwm2mRequestKind.Update));
    }

    [Fact]
    public void Triggered_updates_are_held_back_by_the_15_second_flood_guard()
    {
        var h = new EngineHarness();
        h.StartClient();
        h.RunUntil(Sec(10));
        h.Engine.TriggerUpdate();
        h.Step();
        h.RunUntil(Sec(12));
        h.Engine.TriggerUpdate();
        h.Step();
        h.Engine.TriggerUpdate();
        h.RunUntil(Sec(60));

        Assert.Equal([Sec(10), Sec(25)], h.SentAt(Lwm2mRequestKind.Update));
    }

    [Fact]
    public void A_failed_update_closes_the_connection_and_registers_again()
    {
        var h = new EngineHarness(new Lwm2mServerInstance(0, 101, Sec(60)))
        {
            Server = r => r.Kind == Lwm2mRequestKind.Update ? Reply.With(CoapCode.NotFound) : EngineHarness.DefaultServer(r),
        };
        h.StartClient();
        h.RunUntil(Sec(30));

        var timedOut = Assert.Single(h.EventsOf<Lwm2mRegistrationTimedOut>());
        Assert.Equal(CoapCode.NotFound, timedOut.Code);
        Assert.Contains((S.RegistrationSession, S.Registration), h.Transitions);
        Assert.Equal([Sec(0), Sec(30)], h.SentAt(Lwm2mRequestKind.Register));
        Assert.Contains(h.Closes, c => c.At == Sec(30) && !c.Close.KeepContext);
        Assert.Equal(S.RegistrationSession, h.Engine.State);
    }

    [Fact]
    public void An_update_timeout_is_a_network_error_and_registers_again()
    {
        var h = new EngineHarness(new Lwm2mServerInstance(0, 101, Sec(60)))
        {
            Server = r => r.Kind == Lwm2mRequestKind.Update ? Reply.Timeout : EngineHarness.DefaultServer(r),
        };
        h.StartClient();
        h.RunUntil(Sec(30));

        var error = Assert.Single(h.EventsOf<Lwm2mNetworkError>());
        Assert.Equal(Lwm2mRequestKind.Update, error.Request);
        Assert.Equal(2, h.EventsOf<Lwm2mRegistered>().Count());
    }

    [Fact]
    public void Queue_mode_goes_quiet_after_the_timeout_and_wakes_for_the_update()
    {
        var h = new EngineHarness(new Lwm2mServerInstance(0, 101, Sec(300), "UQ"));
        h.StartClient();
        h.RunUntil(Sec(92));
        Assert.Equal(S.RegistrationSession, h.Engine.State);

        h.RunUntil(Sec(93));
        Assert.Equal(S.QueueMode, h.Engine.State);
        Assert.Equal(Sec(93), Assert.Single(h.Closes).At);
        Assert.True(h.Closes[0].Close.KeepContext);
        Assert.Single(h.EventsOf<Lwm2mQueueModeRxOff>());

        h.RunUntil(Sec(207));
        Assert.Equal([Sec(207)], h.SentAt(Lwm2mRequestKind.Update));
        Assert.Contains((S.QueueMode, S.RegistrationSession), h.Transitions);

        // Quiet again 93 s after the Update.
        h.RunUntil(Sec(300));
        Assert.Equal(S.QueueMode, h.Engine.State);
        Assert.Equal(Sec(300), h.Closes[1].At);
    }

    [Fact]
    public void Queue_mode_wakes_up_for_a_triggered_update()
    {
        var h = new EngineHarness(new Lwm2mServerInstance(0, 101, Sec(300), "UQ"));
        h.StartClient();
        h.RunUntil(Sec(100));
        Assert.Equal(S.QueueMode, h.Engine.State);

        h.Engine.TriggerUpdate();
        h.Step();
        Assert.Equal([Sec(100)], h.SentAt(Lwm2mRequestKind.Update));
        Assert.Equal(S.RegistrationSession, h.Engine.State);
    }

    [Fact]
    public void Without_queue_binding_the_session_never_goes_quiet()
    {
        var h = new EngineHarness(new Lwm2mServerInstance(0, 101, Sec(300)));
        h.StartClient();
        h.RunUntil(TimeSpan.FromHours(2));
        Assert.DoesNotContain(h.Transitions, t => t.To == S.QueueMode);
        Assert.Empty(h.Closes);
    }
}

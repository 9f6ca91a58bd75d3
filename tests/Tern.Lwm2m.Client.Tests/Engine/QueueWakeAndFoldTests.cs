using Tern.Coap.Messages;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Engine;
using S = Tern.Lwm2m.Client.Engine.Lwm2mClientState;

namespace Tern.Lwm2m.Client.Tests.Engine;

/// <summary>Queue mode woken by reporting work, and Update requests that meet a Register in flight.</summary>
public class QueueWakeAndFoldTests
{
    private static TimeSpan Sec(double s) => TimeSpan.FromSeconds(s);

    private static EngineHarness QueueModeClient()
    {
        // Lifetime 600 s: the periodic Update is due at 507 s; the queue-mode timeout is 93 s (MAX_TRANSMIT_WAIT).
        var h = new EngineHarness(new Lwm2mServerInstance(0, 101, Sec(600), "UQ"));
        h.StartClient();
        return h;
    }

    [Fact]
    public void Reporting_work_in_queue_mode_reconnects_at_once_with_an_update()
    {
        var h = QueueModeClient();
        h.RunUntil(Sec(200));
        Assert.Equal(S.QueueMode, h.Engine.State);

        h.Engine.OnReportingPending(101);
        h.Step();

        Assert.Equal([Sec(200)], h.SentAt(Lwm2mRequestKind.Update));
        Assert.Equal(S.RegistrationSession, h.Engine.State);
        Assert.Contains((S.QueueMode, S.RegistrationSession), h.Transitions);

        // Awake for the queue-mode timeout after the Update, then quiet again.
        h.RunUntil(Sec(294));
        Assert.Equal(S.QueueMode, h.Engine.State);
        Assert.Equal(2, h.EventsOf<Lwm2mQueueModeRxOff>().Count());
    }

    [Fact]
    public void Reporting_work_is_not_held_back_by_the_update_flood_guard()
    {
        var options = new Lwm2mClientOptions("node-1") { QueueModeTimeout = Sec(5), UpdateFloodGuard = Sec(60) };
        var h = new EngineHarness(new Lwm2mServerInstance(0, 101, Sec(600), "UQ"), options);
        h.StartClient();
        h.RunUntil(Sec(10));
        h.Engine.OnReportingPending(101);
        h.Step();
        h.RunUntil(Sec(20));
        Assert.Equal(S.QueueMode, h.Engine.State);

        h.Engine.OnReportingPending(101);
        h.Step();

        Assert.Equal([Sec(10), Sec(20)], h.SentAt(Lwm2mRequestKind.Update));
    }

    [Fact]
    public void Reporting_work_while_listening_sends_no_update()
    {
        var h = QueueModeClient();
        h.RunUntil(Sec(50));
        Assert.Equal(S.RegistrationSession, h.Engine.State);

        h.Engine.OnReportingPending(101);
        h.RunUntil(Sec(60));

        Assert.Empty(h.SentAt(Lwm2mRequestKind.Update));
    }

    [Fact]
    public void An_update_asked_while_the_register_is_in_flight_is_folded_into_the_register()
    {
        var h = new EngineHarness(new Lwm2mServerInstance(0, 101, Sec(300)));
        h.Server = r => r.Kind == Lwm2mRequestKind.Register ? Reply.Hold : EngineHarness.DefaultServer(r);
        h.StartClient();
        var (_, held) = Assert.Single(h.Held);

        h.Engine.TriggerUpdate();
        h.Step();
        h.Engine.OnResponse(held, CoapCode.Created, ["rd", "5a3f"], h.Now);
        h.Pump();
        h.RunUntil(Sec(200));

        Assert.Equal(S.RegistrationSession, h.Engine.State);
        Assert.Empty(h.SentAt(Lwm2mRequestKind.Update));
        h.RunUntil(Sec(207));
        Assert.Equal([Sec(207)], h.SentAt(Lwm2mRequestKind.Update));
    }

    [Fact]
    public void Objects_changed_while_the_register_is_in_flight_are_announced_by_an_update_after_it()
    {
        var h = new EngineHarness(new Lwm2mServerInstance(0, 101, Sec(300)));
        h.Server = r => r.Kind == Lwm2mRequestKind.Register ? Reply.Hold : EngineHarness.DefaultServer(r);
        h.StartClient();
        var (_, held) = Assert.Single(h.Held);

        h.Engine.SetObjects([new(1, "1.1", [0]), new(3, null, [0]), new(3303, null, [0])]);
        h.Step();
        h.Engine.OnResponse(held, CoapCode.Created, ["rd", "5a3f"], h.Now);
        h.Pump();

        var update = Assert.Single(h.Sent, s => s.Request.Kind == Lwm2mRequestKind.Update);
        Assert.Equal(TimeSpan.Zero, update.At);
        Assert.Contains("</3303/0>", System.Text.Encoding.UTF8.GetString(update.Request.Request.Payload.Span), StringComparison.Ordinal);
    }
}

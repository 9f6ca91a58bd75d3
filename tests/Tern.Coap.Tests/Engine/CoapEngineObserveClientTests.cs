using Tern.Coap.Engine;
using Tern.Coap.Messages;

namespace Tern.Coap.Tests.Engine;

/// <summary>The observing side of RFC 7641 in the engine.</summary>
public class CoapEngineObserveClientTests
{
    private static CoapMessage Registration() => EngineHarness.Get("/obs", tokenHex: "4A").SetOption(CoapOption.FromUInt(CoapOptionNumber.Observe, 0));

    private static (EngineHarness H, long Id) Observing()
    {
        var h = new EngineHarness(firstMessageId: 0x0100);
        long id = h.SendRequest(Registration());
        h.ExpectSent("41 01 0100 4A 60 53 6F6273");
        h.Receive("61 45 0100 4A 61 05 FF 31");
        Assert.True(h.TakeSingle<CoapResponseReceived>().StartsObservation);
        return (h, id);
    }

    //   Client (engine)            Server
    //     +------------------------->|  CON GET Token=0x4A Observe=0 /obs
    //     |<-------------------------+  ACK 2.05 Observe=5 "1"
    //     |<-------------------------+  CON 2.05 MID=0x7000 Observe=6 "2"
    //     + - - - - - - - - - - - - >|  ACK MID=0x7000
    //     |<-------------------------+  NON 2.05 MID=0x7001 Observe=7 "3"
    [Fact]
    public void Notifications_are_delivered_and_confirmable_ones_acknowledged()
    {
        var (h, id) = Observing();

        h.Receive("41 45 7000 4A 61 06 FF 32");
        h.ExpectSent("60 00 7000");
        h.Receive("51 45 7001 4A 61 07 FF 33");
        h.ExpectNothingSent();

        List<CoapNotificationReceived> notifications = h.TakeEvents().OfType<CoapNotificationReceived>().ToList();
        Assert.Equal(["2", "3"], notifications.Select(n => System.Text.Encoding.UTF8.GetString(n.Notification.Payload.Span)));
        Assert.All(notifications, n => Assert.Equal((id, false), (n.ExchangeId, n.IsLast)));
    }

    [Fact]
    public void Older_notification_arriving_late_is_dropped()
    {
        var (h, _) = Observing();

        h.Receive("51 45 7001 4A 61 07 FF 33");
        h.Receive("51 45 7000 4A 61 06 FF 32");

        Assert.Equal(["3"], h.TakeEvents().OfType<CoapNotificationReceived>().Select(n => System.Text.Encoding.UTF8.GetString(n.Notification.Payload.Span)));
    }

    [Fact]
    public void Older_sequence_number_is_accepted_after_128_seconds()
    {
        var (h, _) = Observing();

        h.Receive("51 45 7001 4A 61 07 FF 33");
        h.Advance(TimeSpan.FromSeconds(129));
        h.Receive("51 45 7002 4A 61 02 FF 34");

        Assert.Equal(2, h.TakeEvents().OfType<CoapNotificationReceived>().Count());
    }

    [Fact]
    public void Notification_without_observe_ends_the_observation()
    {
        var (h, id) = Observing();

        h.Receive("51 45 7001 4A FF 33");

        var last = h.TakeSingle<CoapNotificationReceived>();
        Assert.True(last.IsLast);
        Assert.Equal(0, h.Engine.PendingExchangeCount);
        Assert.Equal(id, last.ExchangeId);
    }

    //     +------------------------->|  CON GET Token=0x4A Observe=1 /obs (same token)
    [Fact]
    public void Cancelling_actively_sends_get_with_observe_1_and_the_same_token()
    {
        var (h, id) = Observing();

        long? deregistration = h.Do((e, now) => e.CancelObservation(id, now));

        Assert.NotNull(deregistration);
        h.ExpectSent("41 01 0101 4A 61 01 53 6F6273");
        Assert.Equal((id, CoapErrorKind.Cancelled), h.TakeEvents().OfType<CoapExchangeFailed>().Select(f => (f.ExchangeId, f.Kind)).Single());
    }

    //     |<-------------------------+  CON 2.05 MID=0x7000 Observe=6 (after a passive cancel)
    //     + - - - - - - - - - - - - >|  RST MID=0x7000
    [Fact]
    public void Cancelling_passively_answers_the_next_notification_with_reset()
    {
        var (h, id) = Observing();

        h.Do((e, now) => e.Cancel(id, now));
        h.Receive("41 45 7000 4A 61 06 FF 32");
        h.Receive("51 45 7001 4A 61 07 FF 33");

        h.ExpectSent("70 00 7000", "70 00 7001");
        Assert.Empty(h.TakeEvents().OfType<CoapNotificationReceived>());
    }

    [Fact]
    public void Response_without_observe_completes_the_registration_as_a_plain_get()
    {
        var h = new EngineHarness(firstMessageId: 0x0100);
        h.SendRequest(Registration());

        h.Receive("61 45 0100 4A FF 31");

        Assert.False(h.TakeSingle<CoapResponseReceived>().StartsObservation);
        Assert.Equal(0, h.Engine.PendingExchangeCount);
    }
}

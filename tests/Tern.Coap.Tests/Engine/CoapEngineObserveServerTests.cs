using Tern.Coap.Engine;
using Tern.Coap.Messages;

namespace Tern.Coap.Tests.Engine;

/// <summary>The observable side of RFC 7641 in the engine. "60" is Observe=0 (empty uint), "53 6F6273" Uri-Path "obs".</summary>
public class CoapEngineObserveServerTests
{
    private const string Register = "41 01 0010 4A 60 53 6F6273";

    private static (EngineHarness H, long ObserverId) Registered(CoapEngineOptions? options = null)
    {
        var h = new EngineHarness(options, firstMessageId: 0x9000);
        h.Receive(Register);
        long requestId = h.TakeSingle<CoapRequestReceived>().RequestId;
        long observerId = h.Do((e, now) => e.AcceptObservation(requestId, now))!.Value;
        h.Respond(requestId, EngineHarness.Content("1"));
        return (h, observerId);
    }

    //   Client                     Server (engine)
    //     +------------------------->|  CON GET MID=0x0010 Token=0x4A Observe=0 /obs
    //     |<-------------------------+  ACK 2.05 MID=0x0010 Token=0x4A Observe=0 "1"
    //     |<-------------------------+  NON 2.05 MID=0x9000 Token=0x4A Observe=1 "2"
    //     |<-------------------------+  CON 2.05 MID=0x9001 Token=0x4A Observe=2 "3"
    //     + - - - - - - - - - - - - >|  ACK MID=0x9001
    [Fact]
    public void Registered_observer_gets_notifications_with_increasing_sequence_numbers()
    {
        var (h, observer) = Registered();
        h.ExpectSent("61 45 0010 4A 60 FF 31");

        long non = h.Do((e, now) => e.Notify(observer, EngineHarness.Content("2"), confirmable: false, now));
        long con = h.Do((e, now) => e.Notify(observer, EngineHarness.Content("3"), confirmable: true, now));
        h.ExpectSent("51 45 9000 4A 61 01 FF 32", "41 45 9001 4A 61 02 FF 33");
        Assert.Equal(non, h.TakeSingle<CoapExchangeCompleted>().ExchangeId);
        h.Receive("60 00 9001");

        Assert.Equal(con, h.TakeSingle<CoapExchangeCompleted>().ExchangeId);
        Assert.Equal(1, h.Engine.ObserverCount);
    }

    //     |<-------------------------+  NON 2.05 MID=0x9000 Observe=1
    //     +------------------------->|  RST MID=0x9000   => observer removed
    [Fact]
    public void Reset_to_a_notification_removes_the_observer()
    {
        var (h, observer) = Registered();
        h.TakeSent();
        h.Do((e, now) => e.Notify(observer, EngineHarness.Content("2"), false, now));
        h.TakeEvents();

        h.Receive("70 00 9000");
        var removed = h.TakeSingle<CoapObserverRemoved>();
        long next = h.Do((e, now) => e.Notify(observer, EngineHarness.Content("3"), false, now));

        Assert.Equal((observer, CoapObserverRemovalReason.Reset), (removed.ObserverId, removed.Reason));
        Assert.Equal((next, CoapErrorKind.Cancelled), h.TakeEvents().OfType<CoapExchangeFailed>().Select(f => (f.ExchangeId, f.Kind)).Single());
        Assert.Equal(0, h.Engine.ObserverCount);
    }

    [Fact]
    public void Get_with_observe_1_deregisters_and_is_served_as_a_plain_get()
    {
        var (h, observer) = Registered();

        h.Receive("41 01 0011 4A 61 01 53 6F6273");

        List<CoapEngineEvent> events = h.TakeEvents();
        Assert.Equal(new CoapObserverRemoved(observer, CoapObserverRemovalReason.Deregistered), events[0]);
        Assert.IsType<CoapRequestReceived>(events[1]);
        Assert.Equal(0, h.Engine.ObserverCount);
    }

    [Fact]
    public void Unacknowledged_confirmable_notification_removes_the_observer_after_the_last_retransmission()
    {
        var (h, observer) = Registered();
        h.TakeSent();

        long id = h.Do((e, now) => e.Notify(observer, EngineHarness.Content("2"), true, now));
        h.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(1, h.Engine.ObserverCount);
        h.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(5, h.TakeSent().Count);
        List<CoapEngineEvent> events = h.TakeEvents();
        Assert.Contains(new CoapExchangeFailed(id, CoapErrorKind.Timeout, "The confirmable notification was never acknowledged."), events);
        Assert.Contains(new CoapObserverRemoved(observer, CoapObserverRemovalReason.Timeout), events);
    }

    [Fact]
    public void A_notification_goes_confirmable_when_none_was_for_24_hours()
    {
        var (h, observer) = Registered();
        h.TakeSent();

        h.Advance(TimeSpan.FromHours(23));
        h.Do((e, now) => e.Notify(observer, EngineHarness.Content("a"), false, now));
        h.Advance(TimeSpan.FromHours(1));
        h.Do((e, now) => e.Notify(observer, EngineHarness.Content("b"), false, now));
        h.Do((e, now) => e.Notify(observer, EngineHarness.Content("c"), false, now));

        List<string> sent = h.TakeSent();
        Assert.Equal(["5", "4", "5"], sent.Select(hex => hex[..1]));
    }

    [Fact]
    public void Error_notification_ends_the_observation_and_carries_no_observe_option()
    {
        var (h, observer) = Registered();
        h.TakeSent();

        h.Do((e, now) => e.Notify(observer, new CoapMessage { Code = CoapCode.NotFound }, false, now));

        h.ExpectSent("51 84 9000 4A");
        Assert.Contains(new CoapObserverRemoved(observer, CoapObserverRemovalReason.Cancelled), h.TakeEvents());
    }

    [Fact]
    public void Error_response_to_the_registration_registers_nothing()
    {
        var h = new EngineHarness();
        h.Receive(Register);
        long requestId = h.TakeSingle<CoapRequestReceived>().RequestId;
        h.Do((e, now) => e.AcceptObservation(requestId, now));

        h.Respond(requestId, new CoapMessage { Code = CoapCode.NotFound });

        h.ExpectSent("61 84 0010 4A");
        Assert.Equal(0, h.Engine.ObserverCount);
    }

    [Fact]
    public void Beyond_the_observer_cap_the_get_is_served_without_observe()
    {
        var (h, _) = Registered(new CoapEngineOptions { MaxObservers = 1 });
        h.TakeSent();

        h.Receive("41 01 0020 4B 60 53 6F6273");
        long requestId = h.TakeSingle<CoapRequestReceived>().RequestId;
        long? second = h.Do((e, now) => e.AcceptObservation(requestId, now));
        h.Respond(requestId, EngineHarness.Content("1"));

        Assert.Null(second);
        h.ExpectSent("61 45 0020 4B FF 31");
    }

    [Fact]
    public void Re_registration_with_the_same_token_keeps_the_observer_and_its_sequence()
    {
        var (h, observer) = Registered();
        h.TakeSent();
        h.Do((e, now) => e.Notify(observer, EngineHarness.Content("2"), false, now));

        h.Receive("41 01 0011 4A 60 53 6F6273");
        long requestId = h.TakeEvents().OfType<CoapRequestReceived>().Single().RequestId;
        long? again = h.Do((e, now) => e.AcceptObservation(requestId, now));
        h.Respond(requestId, EngineHarness.Content("3"));

        Assert.Equal(observer, again);
        h.ExpectSent("51 45 9000 4A 61 01 FF 32", "61 45 0011 4A 61 02 FF 33");
    }

    [Fact]
    public void Accepting_an_observation_for_a_plain_get_is_a_usage_error()
    {
        var h = new EngineHarness();
        h.Receive("41 01 0010 4A 53 6F6273");
        long requestId = h.TakeSingle<CoapRequestReceived>().RequestId;

        Assert.Throws<InvalidOperationException>(() => h.Engine.AcceptObservation(requestId, h.Now));
    }
}

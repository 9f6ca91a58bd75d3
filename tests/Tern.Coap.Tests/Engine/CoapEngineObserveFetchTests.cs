using Tern.Coap.Engine;
using Tern.Coap.Messages;

namespace Tern.Coap.Tests.Engine;

/// <summary>
/// Observe on FETCH (RFC 8132 §2.4), both roles. The registering request is
/// "41 05 mmmm 4A 60 53 6F6273 11 6E FF 70": CON FETCH, token 0x4A, Observe=0, Uri-Path "obs", Content-Format 110, body "p".
/// </summary>
public class CoapEngineObserveFetchTests
{
    private const string Body = "FF 70";

    private static CoapMessage FetchRegistration(string body = "p")
    {
        var request = new CoapMessage
        {
            Type = CoapMessageType.Confirmable,
            Code = CoapCode.Fetch,
            Token = EngineHarness.Bytes("4A"),
            ContentFormat = 110,
            Payload = System.Text.Encoding.UTF8.GetBytes(body),
        }.SetUriPath("/obs");
        request.Observe = 0;
        return request;
    }

    private static (EngineHarness H, long Id) Observing(CoapEngineOptions? options = null)
    {
        var h = new EngineHarness(options, firstMessageId: 0x0100);
        long id = h.SendRequest(FetchRegistration());
        h.ExpectSent("41 05 0100 4A 60 53 6F6273 11 6E " + Body);
        h.Receive("61 45 0100 4A 61 05 FF 31");
        Assert.True(h.TakeSingle<CoapResponseReceived>().StartsObservation);
        return (h, id);
    }

    //   Client (engine)            Server
    //     +------------------------->|  CON FETCH Token=0x4A Observe=0 /obs ct=110 "p"
    //     |<-------------------------+  ACK 2.05 Observe=5 "1"
    //     |<-------------------------+  CON 2.05 MID=0x7000 Token=0x4A Observe=6 "2"
    //     + - - - - - - - - - - - - >|  ACK MID=0x7000
    [Fact]
    public void Fetch_with_observe_0_stays_open_and_notifications_are_matched_by_token()
    {
        var (h, id) = Observing();

        h.Receive("41 45 7000 4A 61 06 FF 32");
        h.ExpectSent("60 00 7000");
        h.Receive("51 45 7001 5B 61 07 FF 33"); // another token: not this observation's, answered with RST
        h.ExpectSent("70 00 7001");

        CoapNotificationReceived notification = Assert.Single(h.TakeEvents().OfType<CoapNotificationReceived>());
        Assert.Equal((id, false, "2"), (notification.ExchangeId, notification.IsLast, System.Text.Encoding.UTF8.GetString(notification.Notification.Payload.Span)));
        Assert.Equal(1, h.Engine.PendingExchangeCount);
    }

    //     +------------------------->|  CON FETCH Token=0x4A Observe=1 /obs ct=110 "p" (same token, same body)
    [Fact]
    public void Cancelling_a_fetch_observation_actively_repeats_the_fetch_with_observe_1_and_its_body()
    {
        var (h, id) = Observing();

        long? deregistration = h.Do((e, now) => e.CancelObservation(id, now));

        Assert.NotNull(deregistration);
        h.ExpectSent("41 05 0101 4A 61 01 53 6F6273 11 6E " + Body);
    }

    [Fact]
    public void Fetch_answered_without_observe_completes_as_a_plain_fetch()
    {
        var h = new EngineHarness(firstMessageId: 0x0100);
        h.SendRequest(FetchRegistration());

        h.Receive("61 45 0100 4A FF 31");

        Assert.False(h.TakeSingle<CoapResponseReceived>().StartsObservation);
        Assert.Equal(0, h.Engine.PendingExchangeCount);
    }

    // A block-wise notification of a FETCH observation: the follow-up block requests repeat the FETCH body.
    //     |<-------------------------+  NON 2.05 Token=0x4A Observe=7 2:0/1/16
    //     +------------------------->|  CON FETCH /obs ct=110 Token=0xA0 2:1/0/16 "p"
    //     |<-------------------------+  ACK 2.05 Token=0xA0 2:1/0/16
    [Fact]
    public void Block_wise_notification_of_a_fetch_observation_is_completed_with_fetches_carrying_the_body()
    {
        var (h, id) = Observing(new CoapEngineOptions { PreferredBlockSizeExponent = 0, TokenLength = 1 });
        string first = Convert.ToHexString(new byte[16]);
        string second = Convert.ToHexString([1, 2, 3]);

        h.Receive("51 45 7000 4A 41 AB 21 07 D1 04 08 FF" + first);
        h.ExpectSent("41 05 0101 A0 B3 6F6273 11 6E B1 10 " + Body);
        h.Receive("61 45 0101 A0 41 AB D1 06 10 FF" + second);

        CoapNotificationReceived notification = h.TakeSingle<CoapNotificationReceived>();
        Assert.Equal(id, notification.ExchangeId);
        Assert.Equal(EngineHarness.Bytes(first + second), notification.Notification.Payload.ToArray());
    }

    //   Client                     Server (engine)
    //     +------------------------->|  CON FETCH MID=0x0010 Token=0x4A Observe=0 /obs ct=110 "p"
    //     |<-------------------------+  ACK 2.05 Observe=0 "1"
    //     |<-------------------------+  NON 2.05 MID=0x9000 Token=0x4A Observe=1 "2"
    //     +------------------------->|  CON FETCH MID=0x0011 Token=0x4A Observe=1 ... => observer removed
    [Fact]
    public void Server_accepts_a_fetch_observation_notifies_it_and_forgets_it_on_a_deregistering_fetch()
    {
        var h = new EngineHarness(firstMessageId: 0x9000);
        h.Receive("41 05 0010 4A 60 53 6F6273 11 6E " + Body);
        long requestId = h.TakeSingle<CoapRequestReceived>().RequestId;
        long observer = h.Do((e, now) => e.AcceptObservation(requestId, now))!.Value;
        h.Respond(requestId, EngineHarness.Content("1"));
        h.ExpectSent("61 45 0010 4A 60 FF 31");

        h.Do((e, now) => e.Notify(observer, EngineHarness.Content("2"), confirmable: false, now));
        h.ExpectSent("51 45 9000 4A 61 01 FF 32");
        h.TakeEvents();
        h.Receive("41 05 0011 4A 61 01 53 6F6273 11 6E " + Body);

        CoapObserverRemoved removed = Assert.Single(h.TakeEvents().OfType<CoapObserverRemoved>());
        Assert.Equal((observer, CoapObserverRemovalReason.Deregistered), (removed.ObserverId, removed.Reason));
        Assert.Equal(0, h.Engine.ObserverCount);
    }

    [Fact]
    public void Server_keeps_fetch_observations_of_one_path_with_different_bodies_apart()
    {
        var h = new EngineHarness(firstMessageId: 0x9000);
        h.Receive("41 05 0010 4A 60 53 6F6273 11 6E FF 70");
        h.Receive("41 05 0011 4B 60 53 6F6273 11 6E FF 71");
        List<long> requests = h.TakeEvents().OfType<CoapRequestReceived>().Select(r => r.RequestId).ToList();

        List<long?> observers = requests.Select(r => h.Do((e, now) => e.AcceptObservation(r, now))).ToList();

        Assert.Equal(2, observers.Distinct().Count());
        Assert.All(observers, o => Assert.NotNull(o));
        Assert.Equal(2, h.Engine.ObserverCount);
    }

    [Fact]
    public void Server_refuses_to_accept_an_observation_for_a_post()
    {
        var h = new EngineHarness(firstMessageId: 0x9000);
        h.Receive("41 02 0010 4A 60 53 6F6273");
        long requestId = h.TakeSingle<CoapRequestReceived>().RequestId;

        Assert.Throws<InvalidOperationException>(() => h.Do((e, now) => e.AcceptObservation(requestId, now)));
    }
}

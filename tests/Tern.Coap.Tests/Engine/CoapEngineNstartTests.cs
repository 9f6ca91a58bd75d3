using Tern.Coap.Engine;
using Tern.Coap.Messages;

namespace Tern.Coap.Tests.Engine;

/// <summary>NSTART = 1 (RFC 7252 §4.7): one outstanding interaction per peer, the rest queued in order.</summary>
public class CoapEngineNstartTests
{
    //   Client (engine)          Server
    //     +----------------------->|  CON GET /a MID=0x0100 Token=0x0A
    //     |   (GET /b waits)       |
    //     |<-----------------------+  ACK 2.05 MID=0x0100
    //     +----------------------->|  CON GET /b MID=0x0101 Token=0x0B
    [Fact]
    public void Second_request_to_the_same_peer_waits_until_the_first_is_acknowledged()
    {
        var h = new EngineHarness(firstMessageId: 0x0100);

        h.SendRequest(EngineHarness.Get("/a", tokenHex: "0A"));
        h.SendRequest(EngineHarness.Get("/b", tokenHex: "0B"));
        h.ExpectSent("41 01 0100 0A B1 61");
        h.Receive("61 45 0100 0A");

        h.ExpectSent("41 01 0101 0B B1 62");
    }

    [Fact]
    public void Empty_ack_releases_the_peer_for_the_next_request()
    {
        var h = new EngineHarness(firstMessageId: 0x0100);

        h.SendRequest(EngineHarness.Get("/a", tokenHex: "0A"));
        h.SendRequest(EngineHarness.Get("/b", tokenHex: "0B"));
        h.TakeSent();
        h.Receive("60 00 0100");

        h.ExpectSent("41 01 0101 0B B1 62");
    }

    [Fact]
    public void Requests_to_different_peers_do_not_wait_for_each_other()
    {
        var h = new EngineHarness(firstMessageId: 0x0100);

        h.SendRequest(EngineHarness.Get("/a", tokenHex: "0A"), EngineHarness.Peer);
        h.SendRequest(EngineHarness.Get("/b", tokenHex: "0B"), EngineHarness.OtherPeer);

        var sent = h.TakeSentWithPeers();
        Assert.Equal([EngineHarness.Peer, EngineHarness.OtherPeer], sent.Select(s => s.Peer));
    }

    [Fact]
    public void A_failed_request_releases_the_queue()
    {
        var h = new EngineHarness(firstMessageId: 0x0100);

        long first = h.SendRequest(EngineHarness.Get("/a", tokenHex: "0A"));
        h.SendRequest(EngineHarness.Get("/b", tokenHex: "0B"));
        h.TakeSent();
        h.Receive("70 00 0100");

        Assert.Equal((first, CoapErrorKind.Reset), h.TakeEvents().OfType<CoapExchangeFailed>().Select(f => (f.ExchangeId, f.Kind)).Single());
        h.ExpectSent("41 01 0101 0B B1 62");
    }

    [Fact]
    public void Cancelled_queued_request_is_never_sent()
    {
        var h = new EngineHarness(firstMessageId: 0x0100);

        h.SendRequest(EngineHarness.Get("/a", tokenHex: "0A"));
        long queued = h.SendRequest(EngineHarness.Get("/b", tokenHex: "0B"));
        h.SendRequest(EngineHarness.Get("/c", tokenHex: "0C"));
        h.Do((e, now) => e.Cancel(queued, now));
        h.TakeSent();
        h.Receive("61 45 0100 0A");

        h.ExpectSent("41 01 0101 0C B1 63");
    }

    [Fact]
    public void Non_confirmable_request_stays_outstanding_until_its_response()
    {
        var h = new EngineHarness(firstMessageId: 0x0100);

        h.SendRequest(EngineHarness.Get("/a", CoapMessageType.NonConfirmable, tokenHex: "0A"));
        h.SendRequest(EngineHarness.Get("/b", tokenHex: "0B"));
        h.ExpectSent("51 01 0100 0A B1 61");
        h.Receive("51 45 7000 0A");

        h.ExpectSent("41 01 0101 0B B1 62");
    }

    [Fact]
    public void Requests_beyond_the_pending_cap_fail_with_capacity_exceeded_and_send_nothing()
    {
        var h = new EngineHarness(new CoapEngineOptions { MaxPendingExchanges = 3 });

        for (int i = 0; i < 3; i++)
        {
            h.SendRequest(EngineHarness.Get("/x"));
        }

        h.TakeSent();
        long rejected = h.SendRequest(EngineHarness.Get("/x"));

        var failed = h.TakeSingle<CoapExchangeFailed>();
        Assert.Equal((rejected, CoapErrorKind.CapacityExceeded), (failed.ExchangeId, failed.Kind));
        Assert.Equal(3, h.Engine.PendingExchangeCount);
        h.ExpectNothingSent();
    }

    [Fact]
    public void Generated_tokens_have_the_configured_length_and_differ()
    {
        var h = new EngineHarness(new CoapEngineOptions { TokenLength = 4 }, firstMessageId: 0x0100);

        h.SendRequest(EngineHarness.Get("/a"), EngineHarness.Peer);
        h.SendRequest(EngineHarness.Get("/a"), EngineHarness.OtherPeer);

        // ScriptedRandom hands out A0 A1 A2 ... for token bytes.
        h.ExpectSent("44 01 0100 A0A1A2A3 B1 61", "44 01 0101 A4A5A6A7 B1 61");
    }
}

using Tern.Coap.Engine;
using Tern.Coap.Messages;

namespace Tern.Coap.Tests.Engine;

/// <summary>Duplicate detection (RFC 7252 §4.5) and the caps that keep it bounded.</summary>
public class CoapEngineDeduplicationTests
{
    //     +--------------->|  CON GET MID=0x0042 Token=0xAB
    //     |    (application still working)
    //     +--------------->|  same CON again
    //     |<- - - - - - - -+  ACK 0.00 MID=0x0042 (stops the retransmissions)
    //     +--------------->|  same CON again
    //     |<- - - - - - - -+  ACK 0.00 MID=0x0042 (replayed)
    [Fact]
    public void Duplicate_of_a_request_still_in_progress_is_answered_with_an_empty_ack_and_not_redelivered()
    {
        var h = new EngineHarness(new CoapEngineOptions { SeparateResponseDelay = null });

        h.Receive("41 01 0042 AB");
        Assert.IsType<CoapRequestReceived>(Assert.Single(h.TakeEvents()));
        h.ExpectNothingSent();
        h.Receive("41 01 0042 AB");
        h.ExpectSent("60 00 0042");
        h.Receive("41 01 0042 AB");
        h.ExpectSent("60 00 0042");

        Assert.Equal(
            [new CoapInputRejected(EngineHarness.Peer, CoapRejectReason.Duplicate), new CoapInputRejected(EngineHarness.Peer, CoapRejectReason.Duplicate)],
            h.TakeEvents(includeRejections: true));
    }

    [Fact]
    public void Same_message_id_after_exchange_lifetime_is_a_new_request()
    {
        var h = new EngineHarness();
        h.Receive("41 01 0042 AB");
        h.Respond(h.TakeSingle<CoapRequestReceived>().RequestId, new CoapMessage { Code = CoapCode.Content });
        h.TakeSent();

        h.Advance(CoapTransmissionOptions.Default.ExchangeLifetime - TimeSpan.FromSeconds(1));
        h.Receive("41 01 0042 AB");
        Assert.Empty(h.TakeEvents());
        h.Advance(TimeSpan.FromSeconds(1));
        h.Receive("41 01 0042 AB");

        Assert.IsType<CoapRequestReceived>(Assert.Single(h.TakeEvents()));
    }

    [Fact]
    public void Non_confirmable_duplicates_are_dropped_for_non_lifetime()
    {
        var h = new EngineHarness();
        h.Receive("51 01 0042 AB");
        h.Respond(h.TakeSingle<CoapRequestReceived>().RequestId, new CoapMessage { Code = CoapCode.Content });
        h.TakeSent();

        h.Receive("51 01 0042 AB");
        h.ExpectNothingSent();
        Assert.Empty(h.TakeEvents());
        h.Advance(CoapTransmissionOptions.Default.NonLifetime);
        h.Receive("51 01 0042 AB");

        Assert.IsType<CoapRequestReceived>(Assert.Single(h.TakeEvents()));
    }

    [Fact]
    public void Same_message_id_from_another_peer_is_not_a_duplicate()
    {
        var h = new EngineHarness();

        h.Receive("41 01 0042 AB", EngineHarness.Peer);
        h.Receive("41 01 0042 AB", EngineHarness.OtherPeer);

        Assert.Equal(2, h.TakeEvents().OfType<CoapRequestReceived>().Count());
    }

    [Fact]
    public void Duplicate_separate_response_is_acknowledged_again_but_delivered_once()
    {
        var h = new EngineHarness(firstMessageId: 0x0100);
        h.SendRequest(EngineHarness.Get("/t", tokenHex: "0C"));
        h.Receive("60 00 0100");
        h.TakeSent();

        h.Receive("41 45 9000 0C");
        h.Receive("41 45 9000 0C");

        h.ExpectSent("60 00 9000", "60 00 9000");
        Assert.IsType<CoapResponseReceived>(Assert.Single(h.TakeEvents()));
    }

    [Fact]
    public void Deduplication_table_never_exceeds_its_cap()
    {
        var h = new EngineHarness(new CoapEngineOptions { MaxDeduplicationEntries = 16, MaxIncomingRequests = 4096 });

        for (int mid = 0; mid < 100; mid++)
        {
            h.Receive(new CoapMessage { Type = CoapMessageType.NonConfirmable, Code = CoapCode.Get, MessageId = (ushort)mid });
            Assert.InRange(h.Engine.DeduplicationEntryCount, 1, 16);
        }
    }

    [Fact]
    public void Incoming_requests_beyond_the_cap_get_service_unavailable()
    {
        var h = new EngineHarness(new CoapEngineOptions { MaxIncomingRequests = 2, SeparateResponseDelay = null });

        h.Receive("41 01 0001 01");
        h.Receive("41 01 0002 02");
        h.Receive("41 01 0003 03");
        h.Receive("51 01 0004 04");

        h.ExpectSent("61 A3 0003 03");
        Assert.Equal(2, h.Engine.IncomingRequestCount);
        Assert.Equal(2, h.TakeEvents().OfType<CoapRequestReceived>().Count());
    }
}

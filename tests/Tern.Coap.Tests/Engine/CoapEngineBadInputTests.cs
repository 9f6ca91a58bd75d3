using Tern.Coap.Engine;
using Tern.Coap.Messages;

namespace Tern.Coap.Tests.Engine;

/// <summary>Reactions to bad input prescribed by RFC 7252 §4.2, §4.3 and §5.4.1, one per case.</summary>
public class CoapEngineBadInputTests
{
    [Theory]
    [InlineData("40 01 12", "truncated header")]
    [InlineData("", "nothing at all")]
    [InlineData("80 01 1234", "version 2")]
    [InlineData("00 01 1234", "version 0")]
    [InlineData("C0 01 1234", "version 3")]
    public void Unreadable_datagram_is_silently_ignored(string hex, string what)
    {
        var h = new EngineHarness();

        h.Receive(hex);

        h.ExpectNothingSent();
        Assert.Equal([CoapRejectReason.Unreadable], h.TakeRejections());
        Assert.NotNull(what);
    }

    //     +---------------->|  CON with a format error, MID=0x1234
    //     |<- - - - - - - - +  RST MID=0x1234
    [Theory]
    [InlineData("49 01 1234 0102030405060708", "token length 9")]
    [InlineData("4F 01 1234", "token length 15")]
    [InlineData("44 01 1234 0102", "token cut short")]
    [InlineData("40 01 1234 F0", "option delta nibble 15 that is not the marker")]
    [InlineData("40 01 1234 1F", "option length nibble 15")]
    [InlineData("40 01 1234 D1", "option extended delta missing")]
    [InlineData("40 01 1234 13 6162", "option value cut short")]
    [InlineData("40 01 1234 FF", "payload marker without payload")]
    [InlineData("41 00 1234 01", "empty CON with a token")]
    [InlineData("40 00 1234 FF 01", "empty CON with a payload")]
    [InlineData("40 E1 1234", "reserved code class 7")]
    [InlineData("40 21 1234", "reserved code class 1")]
    public void Malformed_confirmable_with_readable_header_is_answered_with_reset(string hex, string what)
    {
        var h = new EngineHarness();

        h.Receive(hex);

        h.ExpectSent("70 00 1234");
        Assert.Equal([CoapRejectReason.MalformedConfirmable], h.TakeRejections());
        Assert.NotNull(what);
    }

    [Theory]
    [InlineData("59 01 1234 0102030405060708", "NON with token length 9")]
    [InlineData("50 01 1234 FF", "NON with a payload marker and no payload")]
    [InlineData("61 00 1234 01", "empty ACK carrying a token")]
    [InlineData("60 00 1234 B1 61", "empty ACK carrying an option")]
    [InlineData("60 00 1234 FF 61", "empty ACK carrying a payload")]
    [InlineData("70 00 1234 FF 61", "RST carrying a payload")]
    [InlineData("6F 45 1234", "ACK with token length 15")]
    [InlineData("70 01 1234 F0", "malformed RST")]
    public void Malformed_non_ack_or_reset_is_silently_ignored(string hex, string what)
    {
        var h = new EngineHarness();

        h.Receive(hex);

        h.ExpectNothingSent();
        Assert.Equal([CoapRejectReason.Malformed], h.TakeRejections());
        Assert.NotNull(what);
    }

    [Fact]
    public void Empty_ack_with_a_token_does_not_acknowledge_our_request()
    {
        var h = new EngineHarness(firstMessageId: 0x1234);
        h.SendRequest(EngineHarness.Get("/t", tokenHex: "01"));
        h.TakeSent();

        h.Receive("61 00 1234 01");
        h.Advance(TimeSpan.FromSeconds(2));

        h.ExpectSent("41 01 1234 01 B1 74");
    }

    //     +---------------->|  CON GET MID=0x1234 Token=0x77, option 9 (critical, unknown)
    //     |<----------------+  ACK 4.02 MID=0x1234 Token=0x77 "Unrecognized critical option 9"
    [Fact]
    public void Unrecognized_critical_option_in_a_confirmable_request_gets_bad_option_piggybacked()
    {
        var h = new EngineHarness();

        h.Receive("41 01 1234 77 91 00");

        List<string> sent = h.TakeSent();
        Assert.StartsWith("61821234" + "77" + "FF", Assert.Single(sent));
        Assert.Contains(Convert.ToHexString("Unrecognized critical option 9"u8), sent[0]);
        Assert.Empty(h.TakeEvents());
    }

    [Fact]
    public void Unrecognized_critical_option_in_a_non_confirmable_request_is_rejected_with_reset()
    {
        var h = new EngineHarness();

        h.Receive("51 01 1234 77 91 00");

        h.ExpectSent("70 00 1234");
        Assert.Equal([CoapRejectReason.UnrecognizedCriticalOption], h.TakeRejections());
    }

    [Fact]
    public void Unrecognized_elective_option_is_ignored_and_the_request_delivered()
    {
        var h = new EngineHarness();

        h.Receive("41 01 1234 77 A1 00");

        h.ExpectNothingSent();
        Assert.IsType<CoapRequestReceived>(Assert.Single(h.TakeEvents()));
    }

    [Fact]
    public void Option_the_application_registered_is_not_rejected()
    {
        var h = new EngineHarness(new CoapEngineOptions { AdditionalRecognizedOptions = new HashSet<ushort> { 9 } });

        h.Receive("41 01 1234 77 91 00");

        Assert.IsType<CoapRequestReceived>(Assert.Single(h.TakeEvents()));
    }

    [Fact]
    public void Unrecognized_critical_option_in_a_confirmable_response_is_answered_with_reset()
    {
        var h = new EngineHarness(firstMessageId: 0x0100);
        long id = h.SendRequest(EngineHarness.Get("/t", tokenHex: "0A"));
        h.Receive("60 00 0100");
        h.TakeSent();

        h.Receive("41 45 5000 0A 91 00");

        h.ExpectSent("70 00 5000");
        Assert.Empty(h.TakeEvents());
        Assert.Equal(1, h.Engine.PendingExchangeCount);
        Assert.True(id > 0);
    }

    [Fact]
    public void Confirmable_response_with_an_unknown_token_is_answered_with_reset()
    {
        var h = new EngineHarness();

        h.Receive("41 45 5000 EE FF 6869");

        h.ExpectSent("70 00 5000");
        Assert.Equal([CoapRejectReason.UnmatchedResponse], h.TakeRejections());
    }

    [Fact]
    public void Non_confirmable_response_with_an_unknown_token_is_ignored()
    {
        var h = new EngineHarness();

        h.Receive("51 45 5000 EE FF 6869");

        h.ExpectNothingSent();
        Assert.Equal([CoapRejectReason.UnmatchedResponse], h.TakeRejections());
    }

    [Fact]
    public void Piggybacked_response_with_a_different_token_is_not_taken_as_the_answer()
    {
        var h = new EngineHarness(firstMessageId: 0x0100);
        h.SendRequest(EngineHarness.Get("/t", tokenHex: "0A"));
        h.TakeSent();

        h.Receive("61 45 0100 0B");

        Assert.Empty(h.TakeEvents());
        Assert.Equal(1, h.Engine.PendingExchangeCount);
    }

    [Fact]
    public void Datagram_longer_than_the_configured_maximum_is_ignored()
    {
        var h = new EngineHarness(new CoapEngineOptions { MaxDatagramSize = 64 });
        var request = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Put, MessageId = 0x1234, Payload = new byte[61] };

        h.Receive(request);

        h.ExpectNothingSent();
        Assert.Equal([CoapRejectReason.TooLong], h.TakeRejections());
    }

    [Theory]
    [InlineData("60 00 9999", "ACK for nothing we sent")]
    [InlineData("70 00 9999", "RST for nothing we sent")]
    public void Unmatched_ack_or_reset_is_ignored(string hex, string what)
    {
        var h = new EngineHarness();

        h.Receive(hex);

        h.ExpectNothingSent();
        Assert.Equal([CoapRejectReason.UnmatchedAcknowledgement], h.TakeRejections());
        Assert.NotNull(what);
    }

    [Theory]
    [InlineData("62 01 1234 0102", "a request inside an ACK")]
    [InlineData("70 45 1234", "RST with a response code")]
    [InlineData("50 00 1234", "an empty NON")]
    public void Message_combinations_the_rfc_forbids_are_ignored(string hex, string what)
    {
        var h = new EngineHarness();

        h.Receive(hex);

        h.ExpectNothingSent();
        Assert.Equal([CoapRejectReason.Unexpected], h.TakeRejections());
        Assert.NotNull(what);
    }

    //     +---------------->|  CON 0.00 MID=0x4321 ("CoAP ping")
    //     |<- - - - - - - - +  RST MID=0x4321
    [Fact]
    public void Empty_confirmable_ping_is_answered_with_reset()
    {
        var h = new EngineHarness();

        h.Receive("40 00 4321");

        h.ExpectSent("70 00 4321");
        Assert.Empty(h.TakeEvents());
    }

    [Fact]
    public void Our_ping_completes_when_the_peer_resets_it()
    {
        var h = new EngineHarness(firstMessageId: 0x4321);

        long id = h.Do((e, now) => e.SendPing(EngineHarness.Peer, now));
        h.ExpectSent("40 00 4321");
        h.Receive("70 00 4321");

        Assert.Equal(id, h.TakeSingle<CoapExchangeCompleted>().ExchangeId);
    }

    [Fact]
    public void Reset_to_an_outstanding_request_fails_it_with_reset()
    {
        var h = new EngineHarness(firstMessageId: 0x4321);

        long id = h.SendRequest(EngineHarness.Get("/t"));
        h.Receive("70 00 4321");
        h.Advance(TimeSpan.FromMinutes(2));

        var failed = h.TakeSingle<CoapExchangeFailed>();
        Assert.Equal((id, CoapErrorKind.Reset), (failed.ExchangeId, failed.Kind));
        Assert.Single(h.SendLog);
    }
}

using Tern.Coap.Engine;
using Tern.Coap.Messages;

namespace Tern.Coap.Tests.Engine;

/// <summary>
/// The message flows of RFC 7252 Appendix A, byte for byte, with the engine on either side.
/// "temperature" is BB 74656D7065726174757265 (Uri-Path, delta 11, length 11); "22.3 C" is FF 32322E332043.
/// </summary>
public class CoapEngineAppendixATests
{
    private const string UriTemperature = "BB 74656D7065726174757265";
    private const string Payload223C = "FF 32322E332043";

    // Figure 16, engine as server:
    //   Client                 Server (engine)
    //     +----------------------->|  CON GET MID=0x7d34, Uri-Path "temperature"
    //     |<-----------------------+  ACK 2.05 MID=0x7d34, "22.3 C"
    [Fact]
    public void Server_piggybacks_the_response_on_the_ack_without_a_token()
    {
        var h = new EngineHarness();

        h.Receive("40 01 7D34 " + UriTemperature);
        var request = h.TakeSingle<CoapRequestReceived>();
        Assert.Equal("/temperature", request.Request.UriPath);
        h.Respond(request.RequestId, EngineHarness.Content("22.3 C"));

        h.ExpectSent("60 45 7D34 " + Payload223C);
    }

    // Figure 17, engine as server, with a token:
    //     +----------------------->|  CON GET MID=0x7d35 Token=0x20 "temperature"
    //     |<-----------------------+  ACK 2.05 MID=0x7d35 Token=0x20 "22.3 C"
    [Fact]
    public void Server_echoes_the_token_in_the_piggybacked_response()
    {
        var h = new EngineHarness();

        h.Receive("41 01 7D35 20 " + UriTemperature);
        h.Respond(h.TakeSingle<CoapRequestReceived>().RequestId, EngineHarness.Content("22.3 C"));

        h.ExpectSent("61 45 7D35 20 " + Payload223C);
    }

    // Figure 17, engine as client:
    //   Client (engine)          Server
    //     +----------------------->|  CON GET MID=0x7d35 Token=0x20 "temperature"
    //     |<-----------------------+  ACK 2.05 MID=0x7d35 Token=0x20 "22.3 C"
    [Fact]
    public void Client_sends_the_request_and_delivers_the_piggybacked_response()
    {
        var h = new EngineHarness(firstMessageId: 0x7d35);

        long id = h.SendRequest(EngineHarness.Get("/temperature", tokenHex: "20"));
        h.ExpectSent("41 01 7D35 20 " + UriTemperature);
        h.Receive("61 45 7D35 20 " + Payload223C);

        var response = h.TakeSingle<CoapResponseReceived>();
        Assert.Equal(id, response.ExchangeId);
        Assert.Equal(CoapCode.Content, response.Response.Code);
        Assert.Equal("22.3 C", System.Text.Encoding.UTF8.GetString(response.Response.Payload.Span));
        Assert.Equal(0, h.Engine.PendingExchangeCount);
    }

    // Figure 18, engine as client, request lost:
    //     +-----------------X      |  CON GET MID=0x7d36 Token=0x31
    //     |  (ACK_TIMEOUT)         |
    //     +----------------------->|  CON GET MID=0x7d36 Token=0x31 (retransmission)
    //     |<-----------------------+  ACK 2.05 MID=0x7d36 Token=0x31 "22.3 C"
    [Fact]
    public void Client_retransmits_the_same_bytes_when_the_request_is_lost()
    {
        var h = new EngineHarness(firstMessageId: 0x7d36);
        string request = "41 01 7D36 31 " + UriTemperature;

        h.SendRequest(EngineHarness.Get("/temperature", tokenHex: "31"));
        h.ExpectSent(request);
        h.Advance(TimeSpan.FromSeconds(1.999));
        h.ExpectNothingSent();
        h.Advance(TimeSpan.FromMilliseconds(1));
        h.ExpectSent(request);
        h.Receive("61 45 7D36 31 " + Payload223C);

        Assert.IsType<CoapResponseReceived>(Assert.Single(h.TakeEvents()));
        h.Advance(TimeSpan.FromMinutes(5));
        h.ExpectNothingSent();
    }

    // Figure 19, engine as server, response lost:
    //     +----------------------->|  CON GET MID=0x7d37 Token=0x42
    //     |      X-----------------+  ACK 2.05 MID=0x7d37 Token=0x42 "22.3 C" (lost)
    //     +----------------------->|  CON GET MID=0x7d37 Token=0x42 (retransmission)
    //     |<-----------------------+  ACK 2.05 ... replayed from the deduplication cache
    [Fact]
    public void Server_replays_the_cached_response_for_a_retransmitted_request()
    {
        var h = new EngineHarness();
        string request = "41 01 7D37 42 " + UriTemperature;
        string response = "61 45 7D37 42 " + Payload223C;

        h.Receive(request);
        h.Respond(h.TakeSingle<CoapRequestReceived>().RequestId, EngineHarness.Content("22.3 C"));
        h.ExpectSent(response);
        h.Advance(TimeSpan.FromSeconds(2));
        h.Receive(request);

        h.ExpectSent(response);
        Assert.Empty(h.TakeEvents());
    }

    // Figure 20, engine as server, separate response:
    //     +----------------------->|  CON GET MID=0x7d38 Token=0x53
    //     |<- - - - - - - - - - - -+  ACK 0.00 MID=0x7d38 (after the separate-response delay)
    //     |<-----------------------+  CON 2.05 MID=0xad7b Token=0x53 "22.3 C"
    //     + - - - - - - - - - - - >|  ACK 0.00 MID=0xad7b
    [Fact]
    public void Server_acknowledges_a_slow_request_and_sends_the_response_separately()
    {
        var h = new EngineHarness(firstMessageId: 0xad7b);

        h.Receive("41 01 7D38 53 " + UriTemperature);
        long requestId = h.TakeSingle<CoapRequestReceived>().RequestId;
        h.Advance(TimeSpan.FromMilliseconds(999));
        h.ExpectNothingSent();
        h.Advance(TimeSpan.FromMilliseconds(1));
        h.ExpectSent("60 00 7D38");
        h.Respond(requestId, EngineHarness.Content("22.3 C"));
        h.ExpectSent("41 45 AD7B 53 " + Payload223C);
        h.Receive("60 00 AD7B");

        Assert.Equal(requestId, h.TakeSingle<CoapExchangeCompleted>().ExchangeId);
    }

    // Figure 20, engine as client:
    //   Client (engine)          Server
    //     +----------------------->|  CON GET MID=0x7d38 Token=0x53
    //     |<- - - - - - - - - - - -+  ACK 0.00 MID=0x7d38
    //     |<-----------------------+  CON 2.05 MID=0xad7b Token=0x53 "22.3 C"
    //     + - - - - - - - - - - - >|  ACK 0.00 MID=0xad7b
    [Fact]
    public void Client_acknowledges_a_separate_response_and_delivers_it()
    {
        var h = new EngineHarness(firstMessageId: 0x7d38);

        h.SendRequest(EngineHarness.Get("/temperature", tokenHex: "53"));
        h.ExpectSent("41 01 7D38 53 " + UriTemperature);
        h.Receive("60 00 7D38");
        h.Advance(TimeSpan.FromSeconds(30));
        h.ExpectNothingSent();
        Assert.Empty(h.TakeEvents());
        h.Receive("41 45 AD7B 53 " + Payload223C);

        h.ExpectSent("60 00 AD7B");
        Assert.Equal("22.3 C", System.Text.Encoding.UTF8.GetString(h.TakeSingle<CoapResponseReceived>().Response.Payload.Span));
    }

    // Figure 21, engine as server, NON request and NON response:
    //     +----------------------->|  NON GET MID=0x7d39 Token=0x64
    //     |<-----------------------+  NON 2.05 MID=0xad7c Token=0x64 "22.3 C"
    [Fact]
    public void Server_answers_a_non_confirmable_request_with_a_non_confirmable_response()
    {
        var h = new EngineHarness(firstMessageId: 0xad7c);

        h.Receive("51 01 7D39 64 " + UriTemperature);
        h.Respond(h.TakeSingle<CoapRequestReceived>().RequestId, EngineHarness.Content("22.3 C"));

        h.ExpectSent("51 45 AD7C 64 " + Payload223C);
    }

    // Figure 21, engine as client:
    //     +----------------------->|  NON GET MID=0x7d39 Token=0x64
    //     |<-----------------------+  NON 2.05 MID=0xad7c Token=0x64 "22.3 C"   (no ACK back)
    [Fact]
    public void Client_sends_a_non_confirmable_request_and_does_not_acknowledge_the_non_response()
    {
        var h = new EngineHarness(firstMessageId: 0x7d39);

        h.SendRequest(EngineHarness.Get("/temperature", CoapMessageType.NonConfirmable, tokenHex: "64"));
        h.ExpectSent("51 01 7D39 64 " + UriTemperature);
        h.Advance(TimeSpan.FromSeconds(10));
        h.ExpectNothingSent();
        h.Receive("51 45 AD7C 64 " + Payload223C);

        h.ExpectNothingSent();
        Assert.IsType<CoapResponseReceived>(Assert.Single(h.TakeEvents()));
    }
}

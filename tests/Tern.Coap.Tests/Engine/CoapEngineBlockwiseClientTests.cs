using Tern.Coap.Engine;
using Tern.Coap.Messages;

namespace Tern.Coap.Tests.Engine;

/// <summary>
/// RFC 7959 flows with the engine as client. Follow-up blocks of a download use a fresh token ("A0", the first byte
/// the scripted random hands out with a 1-byte token length) so an observation keeps its own.
/// </summary>
public class CoapEngineBlockwiseClientTests
{
    private static readonly byte[] Body = [.. Enumerable.Range(0, 300).Select(i => (byte)i)];

    private static string Slice(int offset, int length) => Convert.ToHexString(Body, offset, length);

    private static CoapEngineOptions Options(int maxBody = 64 * 1024, int szx = 3) => new() { PreferredBlockSizeExponent = szx, MaxBodySize = maxBody, TokenLength = 1 };

    // RFC 7959 Figure 2 from the client side:
    //   CLIENT (engine)                                          SERVER
    //     | CON [MID=1234], GET, /status                 ------> |
    //     | <------   ACK [MID=1234], 2.05 Content, 2:0/1/128    |
    //     | CON [MID=1235], GET, /status, 2:1/0/128      ------> |
    //     | <------   ACK [MID=1235], 2.05 Content, 2:1/1/128    |
    //     | CON [MID=1236], GET, /status, 2:2/0/128      ------> |
    //     | <------   ACK [MID=1236], 2.05 Content, 2:2/0/128    |
    //   => one response event with all 300 bytes
    [Fact]
    public void Block2_download_is_followed_to_the_end_and_delivered_whole()
    {
        var h = new EngineHarness(Options(), firstMessageId: 0x04D2);

        long id = h.SendRequest(EngineHarness.Get("/status", tokenHex: "01"));
        h.ExpectSent("41 01 04D2 01 B6 737461747573");
        h.Receive("61 45 04D2 01 41 AB D1 06 0B FF" + Slice(0, 128));
        h.ExpectSent("41 01 04D3 A0 B6 737461747573 C1 13");
        h.Receive("61 45 04D3 A0 41 AB D1 06 1B FF" + Slice(128, 128));
        h.ExpectSent("41 01 04D4 A0 B6 737461747573 C1 23");
        Assert.Empty(h.TakeEvents());
        h.Receive("61 45 04D4 A0 41 AB D1 06 23 FF" + Slice(256, 44));

        var response = h.TakeSingle<CoapResponseReceived>();
        Assert.Equal(id, response.ExchangeId);
        Assert.Equal(Body, response.Response.Payload.ToArray());
        Assert.False(response.Response.HasOption(CoapOptionNumber.Block2));
        Assert.Equal(0, h.Engine.PendingExchangeCount);
    }

    // With FollowBlock2 off the engine hands each block over as it came and sends nothing on its own:
    //     | CON [MID=1234], GET, /status                 ------> |
    //     | <------   ACK [MID=1234], 2.05 Content, 2:0/1/128    |
    //   => one response event carrying block 0 and its Block2 option; no request for block 1
    [Fact]
    public void Block2_first_block_is_delivered_as_is_when_following_is_off()
    {
        var h = new EngineHarness(new CoapEngineOptions { PreferredBlockSizeExponent = 3, TokenLength = 1, FollowBlock2 = false }, firstMessageId: 0x04D2);

        long id = h.SendRequest(EngineHarness.Get("/status", tokenHex: "01"));
        h.ExpectSent("41 01 04D2 01 B6 737461747573");
        h.Receive("61 45 04D2 01 41 AB D1 06 0B FF" + Slice(0, 128));

        var response = h.TakeSingle<CoapResponseReceived>();
        Assert.Equal(id, response.ExchangeId);
        Assert.Equal(Body[..128], response.Response.Payload.ToArray());
        Assert.True(response.Response.HasOption(CoapOptionNumber.Block2));
        Assert.Equal(0, h.Engine.PendingExchangeCount);
        h.ExpectNothingSent();
    }

    [Fact]
    public void Block2_download_beyond_the_maximum_body_fails_with_too_large()
    {
        var h = new EngineHarness(Options(maxBody: 200), firstMessageId: 0x04D2);

        long id = h.SendRequest(EngineHarness.Get("/status", tokenHex: "01"));
        h.Receive("61 45 04D2 01 41 AB D1 06 0B FF" + Slice(0, 128));
        h.Receive("61 45 04D3 A0 41 AB D1 06 1B FF" + Slice(128, 128));

        var failed = h.TakeSingle<CoapExchangeFailed>();
        Assert.Equal((id, CoapErrorKind.TooLarge), (failed.ExchangeId, failed.Kind));
        Assert.Equal(0, h.Engine.PendingExchangeCount);
    }

    [Fact]
    public void Block2_blocks_of_a_changed_representation_fail_the_download()
    {
        var h = new EngineHarness(Options(), firstMessageId: 0x04D2);

        long id = h.SendRequest(EngineHarness.Get("/status", tokenHex: "01"));
        h.Receive("61 45 04D2 01 41 AB D1 06 0B FF" + Slice(0, 128));
        h.Receive("61 45 04D3 A0 41 CD D1 06 1B FF" + Slice(128, 128));

        Assert.Equal(CoapErrorKind.ProtocolError, h.TakeSingle<CoapExchangeFailed>().Kind);
        Assert.True(id > 0);
    }

    [Fact]
    public void Lost_follow_up_block_times_out_the_whole_request()
    {
        var h = new EngineHarness(Options(), firstMessageId: 0x04D2);

        long id = h.SendRequest(EngineHarness.Get("/status", tokenHex: "01"));
        h.Receive("61 45 04D2 01 41 AB D1 06 0B FF" + Slice(0, 128));
        h.Advance(TimeSpan.FromMinutes(2));

        var failed = h.TakeSingle<CoapExchangeFailed>();
        Assert.Equal((id, CoapErrorKind.Timeout), (failed.ExchangeId, failed.Kind));
    }

    // RFC 7959 Figure 7 from the client side (Size1 announces the 300-byte body on block 0):
    //     | CON [MID=1234], PUT, /options, 1:0/1/128, Size1=300  ------> |
    //     | <------   ACK [MID=1234], 2.31 Continue, 1:0/1/128           |
    //     | CON [MID=1235], PUT, /options, 1:1/1/128             ------> |
    //     | <------   ACK [MID=1235], 2.31 Continue, 1:1/1/128           |
    //     | CON [MID=1236], PUT, /options, 1:2/0/128             ------> |
    //     | <------   ACK [MID=1236], 2.04 Changed, 1:2/0/128            |
    [Fact]
    public void Block1_upload_sends_the_body_block_by_block()
    {
        var h = new EngineHarness(Options(), firstMessageId: 0x04D2);
        var put = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Put, Token = new byte[] { 0x01 }, Payload = Body }.SetUriPath("/options");

        long id = h.SendRequest(put);
        h.ExpectSent("41 03 04D2 01 B7 6F7074696F6E73 D1 03 0B D2 14 012C FF" + Slice(0, 128));
        h.Receive("61 5F 04D2 01 D1 0E 0B");
        h.ExpectSent("41 03 04D3 01 B7 6F7074696F6E73 D1 03 1B FF" + Slice(128, 128));
        h.Receive("61 5F 04D3 01 D1 0E 1B");
        h.ExpectSent("41 03 04D4 01 B7 6F7074696F6E73 D1 03 23 FF" + Slice(256, 44));
        Assert.Empty(h.TakeEvents());
        h.Receive("61 44 04D4 01 D1 0E 23");

        var response = h.TakeSingle<CoapResponseReceived>();
        Assert.Equal((id, CoapCode.Changed), (response.ExchangeId, response.Response.Code));
    }

    // RFC 7959 Figure 8, late negotiation: the server answers block 0 with a smaller size (1:0/1/64), so the
    // client continues at offset 128 with 64-byte blocks, i.e. block number 2.
    [Fact]
    public void Block1_upload_adopts_the_smaller_block_size_the_server_asks_for()
    {
        var h = new EngineHarness(Options(), firstMessageId: 0x04D2);
        var put = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Put, Token = new byte[] { 0x01 }, Payload = Body }.SetUriPath("/options");

        h.SendRequest(put);
        h.TakeSent();
        h.Receive("61 5F 04D2 01 D1 0E 0A");

        h.ExpectSent("41 03 04D3 01 B7 6F7074696F6E73 D1 03 2A FF" + Slice(128, 64));
    }

    // A 4.13 with a Block1 size hint makes the client start again with that size.
    [Fact]
    public void Block1_upload_restarts_with_the_size_hint_of_a_too_large_answer()
    {
        var h = new EngineHarness(Options(), firstMessageId: 0x04D2);
        var put = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Put, Token = new byte[] { 0x01 }, Payload = Body }.SetUriPath("/options");

        h.SendRequest(put);
        h.TakeSent();
        h.Receive("61 8D 04D2 01 D1 0E 01");

        h.ExpectSent("41 03 04D3 01 B7 6F7074696F6E73 D1 03 09 D2 14 012C FF" + Slice(0, 32));
    }

    [Fact]
    public void Block1_upload_refused_with_too_large_and_a_smaller_size1_delivers_the_refusal()
    {
        var h = new EngineHarness(Options(), firstMessageId: 0x04D2);
        var put = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Put, Token = new byte[] { 0x01 }, Payload = Body }.SetUriPath("/options");

        h.SendRequest(put);
        h.TakeSent();
        h.Receive("61 8D 04D2 01 D1 0E 03 D2 14 0100");

        Assert.Equal(CoapCode.RequestEntityTooLarge, h.TakeSingle<CoapResponseReceived>().Response.Code);
        h.ExpectNothingSent();
    }

    // Block-wise notification: block 0 arrives with Observe; the rest is fetched with a plain GET and a new token.
    //     |<-------------------------+  NON 2.05 Token=0x4A Observe=7 2:0/1/128
    //     +------------------------->|  CON GET /status Token=0xA0 2:1/0/128
    //     |<-------------------------+  ACK 2.05 Token=0xA0 2:1/1/128 ...
    [Fact]
    public void Block_wise_notification_is_completed_with_block2_gets_and_delivered_whole()
    {
        var h = new EngineHarness(Options(), firstMessageId: 0x0100);
        CoapMessage registration = EngineHarness.Get("/status", tokenHex: "4A");
        registration.Observe = 0;
        long id = h.SendRequest(registration);
        h.Receive("61 45 0100 4A 61 05 FF 31");
        h.TakeEvents();
        h.TakeSent();

        h.Receive("51 45 7000 4A 41 AB 21 07 D1 04 0B FF" + Slice(0, 128));
        h.ExpectSent("41 01 0101 A0 B6 737461747573 C1 13");
        h.Receive("61 45 0101 A0 41 AB D1 06 1B FF" + Slice(128, 128));
        h.Receive("61 45 0102 A0 41 AB D1 06 23 FF" + Slice(256, 44));

        var notification = h.TakeSingle<CoapNotificationReceived>();
        Assert.Equal((id, false), (notification.ExchangeId, notification.IsLast));
        Assert.Equal(Body, notification.Notification.Payload.ToArray());
        Assert.Equal(7u, notification.Notification.Observe);
        Assert.Equal(1, h.Engine.PendingExchangeCount);
    }
}

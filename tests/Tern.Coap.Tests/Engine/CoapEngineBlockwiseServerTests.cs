using System.Net;
using Tern.Coap.Engine;
using Tern.Coap.Messages;

namespace Tern.Coap.Tests.Engine;

/// <summary>
/// RFC 7959 flows with the engine as server. Options in hex: "B6 737461747573" Uri-Path "status", "B7 6F7074696F6E73"
/// Uri-Path "options", "41 AB" ETag 0xAB, "D1 06 xx" Block2 after ETag, "C1 xx" Block2 after Uri-Path,
/// "D1 03 xx" Block1 after Uri-Path, "D1 0E xx" Block1 as the first option of a response, "D1 04 xx" Block2 after Observe.
/// </summary>
public class CoapEngineBlockwiseServerTests
{
    private static readonly byte[] Body = [.. Enumerable.Range(0, 300).Select(i => (byte)i)];

    private static string Slice(int offset, int length) => Convert.ToHexString(Body, offset, length);

    private static CoapEngineOptions Blocks128(int maxBody = 64 * 1024) => new() { PreferredBlockSizeExponent = 3, MaxBodySize = maxBody, SeparateResponseDelay = null };

    // RFC 7959 Figure 2, simple block-wise GET (the handler adds ETag 0xAB):
    //   CLIENT                                              SERVER (engine)
    //     | CON [MID=1234], GET, /status                 ------> |  handler runs once
    //     | <------   ACK [MID=1234], 2.05 Content, 2:0/1/128    |
    //     | CON [MID=1235], GET, /status, 2:1/0/128      ------> |  served from the cache
    //     | <------   ACK [MID=1235], 2.05 Content, 2:1/1/128    |
    //     | CON [MID=1236], GET, /status, 2:2/0/128      ------> |
    //     | <------   ACK [MID=1236], 2.05 Content, 2:2/0/128    |
    [Fact]
    public void Large_response_is_sliced_and_later_blocks_come_from_the_cache()
    {
        var h = new EngineHarness(Blocks128());

        h.Receive("40 01 04D2 B6 737461747573");
        long requestId = h.TakeSingle<CoapRequestReceived>().RequestId;
        h.Respond(requestId, new CoapMessage { Code = CoapCode.Content, Payload = Body }.AddOption(new CoapOption(CoapOptionNumber.ETag, new byte[] { 0xAB })));
        h.ExpectSent("60 45 04D2 41 AB D1 06 0B FF" + Slice(0, 128));
        h.Receive("40 01 04D3 B6 737461747573 C1 13");
        h.ExpectSent("60 45 04D3 41 AB D1 06 1B FF" + Slice(128, 128));
        h.Receive("40 01 04D4 B6 737461747573 C1 23");
        h.ExpectSent("60 45 04D4 41 AB D1 06 23 FF" + Slice(256, 44));

        Assert.Empty(h.TakeEvents());
    }

    // With PassBlock1Through the application gets each Block1 block and answers it itself:
    //   CLIENT                                              SERVER (engine)
    //     | CON [MID=1234], PUT, /status, 1:0/1/128      ------> |  request event with block 0 and Block1
    //     | <------   ACK [MID=1234], 2.31 Continue, 1:0/1/128   |  the application's answer, as it gave it
    [Fact]
    public void Block1_blocks_reach_the_application_one_by_one_when_passed_through()
    {
        var h = new EngineHarness(new CoapEngineOptions { PreferredBlockSizeExponent = 3, SeparateResponseDelay = null, PassBlock1Through = r => r.UriPath == "/status" });

        h.Receive("40 03 04D2 B6 737461747573 D1 03 0B FF" + Slice(0, 128));

        var received = h.TakeSingle<CoapRequestReceived>();
        Assert.Equal(Body[..128], received.Request.Payload.ToArray());
        Assert.True(received.Request.HasOption(CoapOptionNumber.Block1));
        Assert.Equal(0, h.Engine.Block1TransferCount);
        h.Respond(received.RequestId, new CoapMessage { Code = CoapCode.Continue }.AddOption(new CoapOption(CoapOptionNumber.Block1, new byte[] { 0x0B })));
        h.ExpectSent("60 5F 04D2 D1 0E 0B");
    }

    [Fact]
    public void Block1_blocks_of_other_paths_are_still_reassembled_when_a_pass_through_filter_is_set()
    {
        var h = new EngineHarness(new CoapEngineOptions { PreferredBlockSizeExponent = 3, SeparateResponseDelay = null, PassBlock1Through = r => r.UriPath == "/firmware" });

        h.Receive("40 03 04D2 B6 737461747573 D1 03 0B FF" + Slice(0, 128));

        Assert.Empty(h.TakeEvents());
        Assert.Equal(1, h.Engine.Block1TransferCount);
    }

    [Fact]
    public void Response_without_its_own_etag_gets_one_so_the_client_can_tell_versions_apart()
    {
        var h = new EngineHarness(Blocks128());

        h.Receive("40 01 04D2 B6 737461747573");
        h.Respond(h.TakeSingle<CoapRequestReceived>().RequestId, new CoapMessage { Code = CoapCode.Content, Payload = Body });

        CoapMessageCodec.TryDecode(EngineHarness.Bytes(Assert.Single(h.TakeSent())), out CoapMessage? first);
        Assert.Equal(8, first!.GetOption(CoapOptionNumber.ETag)!.Value.Value.Length);
        Assert.Equal(128, first.Payload.Length);
    }

    // Early negotiation: the client asks for 32-byte blocks from the start (2:0/0/32).
    [Fact]
    public void Client_asking_for_smaller_blocks_gets_them()
    {
        var h = new EngineHarness(Blocks128());

        h.Receive("40 01 04D2 B6 737461747573 C1 01");
        h.Respond(h.TakeSingle<CoapRequestReceived>().RequestId, new CoapMessage { Code = CoapCode.Content, Payload = Body }.AddOption(new CoapOption(CoapOptionNumber.ETag, new byte[] { 0xAB })));

        h.ExpectSent("60 45 04D2 41 AB D1 06 09 FF" + Slice(0, 32));
    }

    [Fact]
    public void Block_beyond_the_end_is_answered_with_bad_option()
    {
        var h = new EngineHarness(Blocks128());
        h.Receive("40 01 04D2 B6 737461747573");
        h.Respond(h.TakeSingle<CoapRequestReceived>().RequestId, new CoapMessage { Code = CoapCode.Content, Payload = Body });
        h.TakeSent();

        h.Receive("40 01 04D3 B6 737461747573 C1 53");

        h.ExpectSent("60 82 04D3");
    }

    // RFC 7959 Figure 7, simple atomic block-wise PUT:
    //     | CON [MID=1234], PUT, /options, 1:0/1/128     ------> |
    //     | <------   ACK [MID=1234], 2.31 Continue, 1:0/1/128   |
    //     | CON [MID=1235], PUT, /options, 1:1/1/128     ------> |
    //     | <------   ACK [MID=1235], 2.31 Continue, 1:1/1/128   |
    //     | CON [MID=1236], PUT, /options, 1:2/0/128     ------> |  handler sees 300 bytes
    //     | <------   ACK [MID=1236], 2.04 Changed, 1:2/0/128    |
    [Fact]
    public void Block1_upload_is_reassembled_before_the_handler_sees_it()
    {
        var h = new EngineHarness(Blocks128());

        h.Receive("40 03 04D2 B7 6F7074696F6E73 D1 03 0B FF" + Slice(0, 128));
        h.ExpectSent("60 5F 04D2 D1 0E 0B");
        h.Receive("40 03 04D3 B7 6F7074696F6E73 D1 03 1B FF" + Slice(128, 128));
        h.ExpectSent("60 5F 04D3 D1 0E 1B");
        Assert.Empty(h.TakeEvents());
        h.Receive("40 03 04D4 B7 6F7074696F6E73 D1 03 23 FF" + Slice(256, 44));
        var request = h.TakeSingle<CoapRequestReceived>();
        h.Respond(request.RequestId, new CoapMessage { Code = CoapCode.Changed });

        h.ExpectSent("60 44 04D4 D1 0E 23");
        Assert.Equal(Body, request.Request.Payload.ToArray());
        Assert.False(request.Request.HasOption(CoapOptionNumber.Block1));
    }

    //     | CON [MID=1235], PUT, /options, 1:1/1/128     ------> |  (no block 0 seen)
    //     | <------   ACK [MID=1235], 4.08 Request Entity Incomplete
    [Fact]
    public void Block1_block_without_its_predecessor_gets_request_entity_incomplete()
    {
        var h = new EngineHarness(Blocks128());

        h.Receive("40 03 04D3 B7 6F7074696F6E73 D1 03 1B FF" + Slice(128, 128));

        h.ExpectSent("60 88 04D3");
        Assert.Empty(h.TakeEvents());
    }

    [Fact]
    public void Block1_block_out_of_order_gets_request_entity_incomplete()
    {
        var h = new EngineHarness(Blocks128());

        h.Receive("40 03 04D2 B7 6F7074696F6E73 D1 03 0B FF" + Slice(0, 128));
        h.TakeSent();
        h.Receive("40 03 04D4 B7 6F7074696F6E73 D1 03 23 FF" + Slice(256, 44));

        h.ExpectSent("60 88 04D4");
    }

    //     | CON [MID=1234], PUT, /options, 1:0/1/128, Size1=1000  ------> |  limit is 256
    //     | <------   ACK [MID=1234], 4.13, 1:0/0/128, Size1=256          |
    [Fact]
    public void Block1_upload_announced_beyond_the_limit_gets_too_large_with_the_limit_in_size1()
    {
        var h = new EngineHarness(Blocks128(maxBody: 256));

        h.Receive("40 03 04D2 B7 6F7074696F6E73 D1 03 0B D2 14 03E8 FF" + Slice(0, 128));

        h.ExpectSent("60 8D 04D2 D1 0E 03 D2 14 0100");
    }

    [Fact]
    public void Block1_upload_growing_beyond_the_limit_gets_too_large()
    {
        var h = new EngineHarness(Blocks128(maxBody: 256));

        h.Receive("40 03 04D2 B7 6F7074696F6E73 D1 03 0B FF" + Slice(0, 128));
        h.Receive("40 03 04D3 B7 6F7074696F6E73 D1 03 1B FF" + Slice(128, 128));
        h.Receive("40 03 04D4 B7 6F7074696F6E73 D1 03 2B FF" + Slice(0, 128));

        Assert.Equal("608D04D4", h.TakeSent()[2][..8]);
        Assert.Equal(0, h.Engine.Block1TransferCount);
    }

    [Fact]
    public void Concurrent_uploads_from_two_peers_to_the_same_path_are_kept_apart()
    {
        var h = new EngineHarness(Blocks128());
        byte[] other = [.. Body.Select(b => (byte)~b)];
        string otherSlice(int o, int l) => Convert.ToHexString(other, o, l);

        h.Receive("40 03 0001 B7 6F7074696F6E73 D1 03 0B FF" + Slice(0, 128), EngineHarness.Peer);
        h.Receive("40 03 0001 B7 6F7074696F6E73 D1 03 0B FF" + otherSlice(0, 128), EngineHarness.OtherPeer);
        h.Receive("40 03 0002 B7 6F7074696F6E73 D1 03 1B FF" + otherSlice(128, 128), EngineHarness.OtherPeer);
        h.Receive("40 03 0002 B7 6F7074696F6E73 D1 03 1B FF" + Slice(128, 128), EngineHarness.Peer);
        h.Receive("40 03 0003 B7 6F7074696F6E73 D1 03 23 FF" + Slice(256, 44), EngineHarness.Peer);
        h.Receive("40 03 0003 B7 6F7074696F6E73 D1 03 23 FF" + otherSlice(256, 44), EngineHarness.OtherPeer);

        var requests = h.TakeEvents().OfType<CoapRequestReceived>().ToList();
        Assert.Equal(2, requests.Count);
        Assert.Equal(Body, requests.Single(r => r.Peer == EngineHarness.Peer).Request.Payload.ToArray());
        Assert.Equal(other, requests.Single(r => r.Peer == EngineHarness.OtherPeer).Request.Payload.ToArray());
    }

    [Fact]
    public void Concurrent_uploads_from_one_peer_to_different_resources_are_kept_apart()
    {
        var h = new EngineHarness(Blocks128());

        h.Receive("41 03 0001 01 B1 61 D1 03 0B FF" + Slice(0, 128));
        h.Receive("41 03 0002 02 B1 62 D1 03 0B FF" + Slice(128, 128));
        h.Receive("41 03 0003 01 B1 61 D1 03 13 FF" + Slice(0, 10));
        h.Receive("41 03 0004 02 B1 62 D1 03 13 FF" + Slice(128, 10));

        var requests = h.TakeEvents().OfType<CoapRequestReceived>().ToList();
        Assert.Equal(["/a", "/b"], requests.Select(r => r.Request.UriPath));
        Assert.Equal(Body[..128].Concat(Body[..10]), requests[0].Request.Payload.ToArray());
        Assert.Equal(Body[128..256].Concat(Body[128..138]), requests[1].Request.Payload.ToArray());
    }

    [Fact]
    public void Block_option_with_reserved_size_exponent_gets_bad_request()
    {
        var h = new EngineHarness(Blocks128());

        h.Receive("40 01 04D2 B6 737461747573 C1 07");

        h.ExpectSent("60 80 04D2");
    }

    [Fact]
    public void Large_notification_goes_out_as_block_0_and_the_rest_is_served_from_the_cache()
    {
        var h = new EngineHarness(Blocks128(), firstMessageId: 0x9000);
        h.Receive("41 01 0010 4A 60 56 737461747573");
        long requestId = h.TakeSingle<CoapRequestReceived>().RequestId;
        long observer = h.Do((e, now) => e.AcceptObservation(requestId, now))!.Value;
        h.Respond(requestId, EngineHarness.Content("small"));
        h.TakeSent();

        h.Do((e, now) => e.Notify(observer, new CoapMessage { Code = CoapCode.Content, Payload = Body }.AddOption(new CoapOption(CoapOptionNumber.ETag, new byte[] { 0xAB })), false, now));
        h.ExpectSent("51 45 9000 4A 41 AB 21 01 D1 04 0B FF" + Slice(0, 128));
        h.Receive("41 01 0011 5B B6 737461747573 C1 13");

        h.ExpectSent("61 45 0011 5B 41 AB D1 06 1B FF" + Slice(128, 128));
    }
}

using Tern.Coap.Blockwise;
using Tern.Coap.Engine;
using Tern.Coap.Messages;

namespace Tern.Coap.Tests.Engine;

/// <summary>
/// <see cref="CoapEngineOptions.PassBlock1Through"/>: the engine hands chosen Block1 uploads to the application block by
/// block and keeps no reassembly state for them, so neither <see cref="CoapEngineOptions.MaxBodySize"/> nor the
/// reassembly table bounds them; duplicates are still absorbed by message deduplication. Options in hex:
/// "B6 737461747573" Uri-Path "status", "D1 03 xx" Block1 after Uri-Path, "D2 14 012C" Size1 300 after Block1,
/// "D1 0E xx" Block1 as a response's first option.
/// </summary>
public class CoapEngineBlock1PassThroughTests
{
    private static readonly byte[] Body = [.. Enumerable.Range(0, 300).Select(i => (byte)i)];

    private static string Slice(int offset, int length) => Convert.ToHexString(Body, offset, length);

    private static EngineHarness PassingStatus(int maxBody) => new(new CoapEngineOptions
    {
        PreferredBlockSizeExponent = 3,
        MaxBodySize = maxBody,
        SeparateResponseDelay = null,
        PassBlock1Through = r => r.UriPath == "/status",
    });

    // A block past MaxBodySize, announcing a body larger than it, still reaches the application (reassembled, the
    // engine would answer 4.13 with Size1 128):
    //     | CON [MID=1234], PUT, /status, 1:2/0/128, Size1 300  ------> |  request event, Block1 and Size1 kept
    [Fact]
    public void A_passed_through_upload_is_not_bounded_by_max_body_size()
    {
        var h = PassingStatus(maxBody: 128);

        h.Receive("40 03 04D2 B6 737461747573 D1 03 23 D2 14 012C FF" + Slice(256, 44));

        var received = h.TakeSingle<CoapRequestReceived>();
        Assert.Equal(Body[256..], received.Request.Payload.ToArray());
        Assert.Equal(300u, received.Request.GetSize1());
        Assert.Equal(BlockOptionError.None, received.Request.TryGetBlock1(out BlockOption? block));
        Assert.Equal((2u, false, 128), (block!.Value.Num, block.Value.More, block.Value.Size));
        Assert.Empty(h.TakeSent());
        Assert.Equal(0, h.Engine.Block1TransferCount);
    }

    // The 2.31 for a block was lost and the client retransmits it (same MID): the engine repeats the application's
    // answer from its deduplication cache; the application does not see the block twice.
    //     | CON [MID=1235], PUT, /status, 1:1/1/128       ------> |  request event
    //     | <------    ACK [MID=1235], 2.31 Continue, 1:1/1/128    |  (lost)
    //     | CON [MID=1235], PUT, /status, 1:1/1/128       ------> |  no event
    //     | <------    ACK [MID=1235], 2.31 Continue, 1:1/1/128    |  the same bytes again
    [Fact]
    public void A_retransmitted_passed_through_block_is_answered_again_without_reaching_the_application()
    {
        var h = PassingStatus(maxBody: 1024);
        string block1 = "40 03 04D3 B6 737461747573 D1 03 1B FF" + Slice(128, 128);

        h.Receive(block1);
        h.Respond(h.TakeSingle<CoapRequestReceived>().RequestId, new CoapMessage { Code = CoapCode.Continue }.SetBlock1(new BlockOption(1, true, 3)));
        h.ExpectSent("60 5F 04D3 D1 0E 1B");
        h.Receive(block1);

        h.ExpectSent("60 5F 04D3 D1 0E 1B");
        Assert.Empty(h.TakeEvents());
    }

    // The application may refuse a block with 4.08 (its earlier blocks are missing); the answer goes out as given.
    [Fact]
    public void The_application_answers_a_passed_through_block_as_it_decides()
    {
        var h = PassingStatus(maxBody: 1024);

        h.Receive("40 03 04D4 B6 737461747573 D1 03 2B FF" + Slice(256, 44).PadRight(256, '0'));
        h.Respond(h.TakeSingle<CoapRequestReceived>().RequestId, new CoapMessage { Code = CoapCode.RequestEntityIncomplete });

        h.ExpectSent("60 88 04D4");
    }
}

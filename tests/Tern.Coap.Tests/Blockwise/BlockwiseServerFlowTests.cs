using Tern.Coap.Blockwise;
using Tern.Coap.Messages;
using Tern.Coap.Timing;
using static Tern.Coap.Tests.Blockwise.BlockwiseTestData;

namespace Tern.Coap.Tests.Blockwise;

/// <summary>The server pieces wired together the way the exchange engine is meant to call them.</summary>
public class BlockwiseServerFlowTests
{
    /*  RFC 7959 Figure 9, atomic block-wise POST with block-wise response:
        CON POST /soap 1:0/1/128  ->  2.31 Continue 1:0/1/128
        CON POST /soap 1:1/1/128  ->  2.31 Continue 1:1/1/128
        CON POST /soap 1:2/0/128  ->  2.04 Changed  1:2/0/128 2:0/1/128
        CON POST /soap 2:1/0/128  ->  2.04 Changed  2:1/1/128
        CON POST /soap 2:2/0/128  ->  2.04 Changed  2:2/0/128                     */
    [Fact]
    public void Block_wise_post_with_a_block_wise_response_follows_rfc_7959_figure_9()
    {
        var clock = new VirtualTimeProvider();
        var limits = new BlockwiseLimits { PreferredSizeExponent = 3 };
        var reassembler = new Block1Reassembler(clock, limits);
        var cache = new Block2RepresentationCache(clock, limits);
        byte[] requestBody = Body(300, seed: 1);
        byte[] responseBody = Body(300, seed: 2);
        int handlerRuns = 0;
        var trace = new List<string>();

        CoapMessage Serve(CoapMessage request)
        {
            var response = new CoapMessage { Type = CoapMessageType.Acknowledgement, MessageId = request.MessageId, Token = request.Token };
            request.TryGetBlock1(out BlockOption? block1);
            request.TryGetBlock2(out BlockOption? block2);
            BlockwiseKey key = BlockwiseKey.FromRequest(Client, request);
            if (block1 is { } b1)
            {
                Block1Outcome outcome = reassembler.Accept(Client, request, b1);
                if (outcome.Kind == Block1OutcomeKind.Complete)
                {
                    handlerRuns++;
                    Assert.Equal(requestBody, outcome.Body.ToArray());
                    var handlerResponse = new CoapMessage { Code = CoapCode.Changed, Payload = responseBody };
                    cache.Store(key, handlerResponse).WriteBlock(response, block2, limits.PreferredSizeExponent);
                }

                outcome.ApplyTo(response);
            }
            else if (block2 is { Num: > 0 } && cache.TryGet(key, out CachedRepresentation representation))
            {
                representation.WriteBlock(response, block2, limits.PreferredSizeExponent);
            }

            return response;
        }

        string Describe(CoapMessage m)
        {
            m.TryGetBlock1(out BlockOption? b1);
            m.TryGetBlock2(out BlockOption? b2);
            return $"{m.Code}{(b1 is null ? "" : $" 1:{b1}")}{(b2 is null ? "" : $" 2:{b2}")}";
        }

        var assembled = new List<byte>();
        foreach (string block in new[] { "0/1/128", "1/1/128", "2/0/128" })
        {
            CoapMessage request = Request(CoapCode.Post, "/soap");
            BlockOption b = Parse(block);
            request.Payload = requestBody.AsMemory(b.Offset, Math.Min(b.Size, requestBody.Length - b.Offset));
            request.SetBlock1(b);
            CoapMessage response = Serve(request);
            trace.Add(Describe(response));
            assembled.AddRange(response.Payload.ToArray());
        }

        foreach (string block in new[] { "1/0/128", "2/0/128" })
        {
            CoapMessage response = Serve(Request(CoapCode.Post, "/soap", token: 7).SetBlock2(Parse(block)));
            trace.Add(Describe(response));
            assembled.AddRange(response.Payload.ToArray());
        }

        Assert.Equal(
            ["2.31 1:0/1/128", "2.31 1:1/1/128", "2.04 1:2/0/128 2:0/1/128", "2.04 2:1/1/128", "2.04 2:2/0/128"],
            trace);
        Assert.Equal(1, handlerRuns);
        Assert.Equal(responseBody, assembled);
    }
}

using FsCheck;
using FsCheck.Fluent;
using Tern.Coap.Blockwise;
using Tern.Coap.Messages;
using Tern.Coap.Timing;
using static Tern.Coap.Tests.Blockwise.BlockwiseTestData;

namespace Tern.Coap.Tests.Blockwise;

public class BlockwisePropertyTests
{
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(300);

    private static Arbitrary<(byte[] Body, int ServerSzx, int ClientSzx, bool Early)> Transfers() =>
        (from length in Gen.Choose(0, 5000)
         from seed in Gen.Choose(0, 1000)
         from serverSzx in Gen.Choose(0, 6)
         from clientSzx in Gen.Choose(0, 6)
         from early in ArbMap.Default.GeneratorFor<bool>()
         select (Body(length, seed), serverSzx, clientSzx, early)).ToArbitrary();

    [Fact]
    public void Slicing_then_assembling_any_body_with_any_sizes_gives_the_body_back()
    {
        Prop.ForAll(Transfers(), t =>
        {
            var assembler = new Block2Assembler(maxBodySize: 5000, preferredSizeExponent: t.ClientSzx);
            BlockOption? request = t.Early ? new BlockOption(0, false, t.ClientSzx) : null;
            for (int round = 0; round < 400; round++)
            {
                Block2Slice slice = Block2Slicer.Slice(t.Body, request, t.ServerSzx);
                Block2AssemblyStatus status = assembler.Append(slice.Block, slice.Payload.Span);
                if (status == Block2AssemblyStatus.Complete)
                {
                    return assembler.Body.Span.SequenceEqual(t.Body);
                }

                if (status != Block2AssemblyStatus.NeedMore)
                {
                    return false;
                }

                request = assembler.NextBlock;
            }

            return false;
        }).Check(Quick);
    }

    [Fact]
    public void Sending_then_reassembling_any_body_with_any_sizes_gives_the_body_back()
    {
        Prop.ForAll(Transfers(), t =>
        {
            var reassembler = new Block1Reassembler(new VirtualTimeProvider(), new BlockwiseLimits { MaxBodySize = 5000, PreferredSizeExponent = t.ServerSzx });
            var sender = new Block1Sender(t.Body, t.ClientSzx);
            for (int round = 0; round < 400; round++)
            {
                CoapMessage request = Request(CoapCode.Post, "/upload", token: (byte)round);
                sender.ApplyTo(request);
                var response = new CoapMessage();
                if (request.TryGetBlock1(out BlockOption? block1) != BlockOptionError.None)
                {
                    return false;
                }

                if (block1 is { } block)
                {
                    Block1Outcome outcome = reassembler.Accept(Client, request, block);
                    if (outcome.Kind == Block1OutcomeKind.Complete && !outcome.Body.Span.SequenceEqual(t.Body))
                    {
                        return false;
                    }

                    response.Code = CoapCode.Changed;
                    outcome.ApplyTo(response);
                }
                else
                {
                    if (!request.Payload.Span.SequenceEqual(t.Body))
                    {
                        return false;
                    }

                    response.Code = CoapCode.Changed;
                }

                switch (sender.OnResponse(response))
                {
                    case Block1SendStatus.Completed:
                        return reassembler.Count == 0;
                    case Block1SendStatus.SendNext:
                        continue;
                    default:
                        return false;
                }
            }

            return false;
        }).Check(Quick);
    }

    [Fact]
    public void Random_response_blocks_never_throw_from_the_assembler_and_stay_bounded()
    {
        var random = new Random(2);
        byte[] junk = Body(1100);
        for (int run = 0; run < 300; run++)
        {
            int max = random.Next(5000);
            var assembler = new Block2Assembler(max, random.Next(7));
            for (int i = 0; i < 50; i++)
            {
                var response = new CoapMessage { Code = CoapCode.Content, Payload = junk.AsMemory(0, random.Next(junk.Length)) };
                if (random.Next(8) != 0)
                {
                    byte[] raw = new byte[random.Next(5)];
                    random.NextBytes(raw);
                    response.AddOption(new CoapOption(CoapOptionNumber.Block2, raw));
                }

                if (random.Next(4) == 0)
                {
                    response.AddOption(new CoapOption(CoapOptionNumber.ETag, new[] { (byte)random.Next(3) }));
                }

                if (random.Next(4) == 0)
                {
                    response.SetSize2((uint)random.Next(10_000));
                }

                Block2AssemblyStatus status = assembler.Append(response);

                Assert.True(Enum.IsDefined(status));
                Assert.InRange(assembler.Capacity, 0, max);
                Assert.InRange(assembler.Length, 0, assembler.Capacity);
            }
        }
    }

    [Fact]
    public void Random_responses_never_throw_from_the_sender_until_it_is_done()
    {
        var random = new Random(3);
        CoapCode[] codes = [CoapCode.Continue, CoapCode.Changed, CoapCode.Created, CoapCode.RequestEntityTooLarge, CoapCode.RequestEntityIncomplete, CoapCode.BadOption, CoapCode.Content];
        for (int run = 0; run < 500; run++)
        {
            var sender = new Block1Sender(Body(random.Next(6000)), random.Next(7));
            for (int i = 0; i < 100 && !sender.IsDone; i++)
            {
                var request = Request(CoapCode.Put, "/x");
                sender.ApplyTo(request);
                Assert.InRange(request.Payload.Length, 0, sender.IsBlockwise ? BlockOption.SizeOf(sender.SizeExponent) : sender.Body.Length);
                var response = new CoapMessage { Code = codes[random.Next(codes.Length)] };
                if (random.Next(2) == 0)
                {
                    byte[] raw = new byte[random.Next(4)];
                    random.NextBytes(raw);
                    response.AddOption(new CoapOption(CoapOptionNumber.Block1, raw));
                }

                if (random.Next(4) == 0)
                {
                    response.SetSize1((uint)random.Next(8000));
                }

                Assert.True(Enum.IsDefined(sender.OnResponse(response)));
            }
        }
    }
}

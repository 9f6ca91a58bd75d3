using Tern.Coap.Blockwise;
using Tern.Coap.Messages;
using Tern.Coap.Transport;

namespace Tern.Coap.Engine;

public sealed partial class CoapEngine
{
    private Block1Reassembler? _block1;
    private Block2RepresentationCache? _block2Cache;

    /// <summary>Server role: Block1 uploads being reassembled; never above <see cref="CoapEngineOptions.MaxBlockwiseTransfers"/>.</summary>
    public int Block1TransferCount => _block1?.Count ?? 0;

    /// <summary>Server role: representations cached for Block2 follow-up requests; never above <see cref="CoapEngineOptions.MaxBlockwiseTransfers"/>.</summary>
    public int Block2CacheCount => _block2Cache?.Count ?? 0;

    private BlockwiseLimits Limits => new()
    {
        MaxBodySize = _options.MaxBodySize,
        MaxTransfers = _options.MaxBlockwiseTransfers,
        Lifetime = _options.Transmission.ExchangeLifetime,
        PreferredSizeExponent = _options.PreferredBlockSizeExponent,
    };

    private Block1Reassembler Block1 => _block1 ??= new Block1Reassembler(_clock, Limits);

    private Block2RepresentationCache Block2Cache => _block2Cache ??= new Block2RepresentationCache(_clock, Limits);

    /// <summary>
    /// Handles the block-wise part of an incoming request before the application sees it: answers 2.31/4.08/4.13
    /// for Block1 blocks and serves Block2 follow-ups from the cached representation. Returns true when it answered;
    /// otherwise the (possibly reassembled) request goes on to the application.
    /// </summary>
    private bool TryAnswerBlockwise(CoapPeer peer, CoapMessage request, MessageKey key, DateTimeOffset now, out BlockOption? block1Echo)
    {
        block1Echo = null;
        BlockOptionError error1 = request.TryGetBlock1(out BlockOption? block1);
        BlockOptionError error2 = request.TryGetBlock2(out BlockOption? block2);
        BlockOptionError error = error1 != BlockOptionError.None ? error1 : error2;
        if (error != BlockOptionError.None)
        {
            SendDirectResponse(peer, request, key, new CoapMessage { Code = error.ToResponseCode() }, now);
            return true;
        }

        if (block1 is { } b1 && _options.PassBlock1Through?.Invoke(request) != true)
        {
            Block1Outcome outcome = Block1.Accept(peer, request, b1);
            if (outcome.Kind != Block1OutcomeKind.Complete)
            {
                var answer = new CoapMessage();
                outcome.ApplyTo(answer);
                SendDirectResponse(peer, request, key, answer, now);
                return true;
            }

            request.Payload = outcome.Body;
            request.RemoveOption(CoapOptionNumber.Block1);
            request.RemoveOption(CoapOptionNumber.Size1);
            block1Echo = outcome.ResponseBlock;
        }

        if (block2 is { Num: > 0 } b2 && block1 is null && Block2Cache.TryGet(BlockwiseKey.FromRequest(peer, request), out CachedRepresentation representation))
        {
            var answer = new CoapMessage();
            representation.WriteBlock(answer, b2, _options.PreferredBlockSizeExponent, request.HasOption(CoapOptionNumber.Size2));
            SendDirectResponse(peer, request, key, answer, now);
            return true;
        }

        return false;
    }

    /// <summary>Answers a request at once: piggybacked for CON, as NON otherwise; remembered for duplicates.</summary>
    private void SendDirectResponse(CoapPeer peer, CoapMessage request, MessageKey key, CoapMessage response, DateTimeOffset now)
    {
        bool confirmable = request.Type == CoapMessageType.Confirmable;
        response.Token = request.Token;
        response.Type = confirmable ? CoapMessageType.Acknowledgement : CoapMessageType.NonConfirmable;
        response.MessageId = confirmable ? request.MessageId : NextMessageId(peer);
        byte[] bytes = EncodeResponse(response);
        _dedup.Add(key, confirmable, now, confirmable ? bytes : null);
        Emit(peer, bytes);
    }

    /// <summary>
    /// Cuts a response into the block the request asked for (or block 0 when it is too big for one message), caching
    /// the whole representation so later blocks need no handler run. Returns the message to send.
    /// </summary>
    private CoapMessage SliceResponse(CoapPeer peer, CoapMessage request, CoapMessage response)
    {
        if (request.TryGetBlock2(out BlockOption? requested) != BlockOptionError.None)
        {
            requested = null;
        }

        int szx = BlockExponentFor(response);
        if (requested is null && response.Payload.Length <= BlockOption.SizeOf(szx))
        {
            return response;
        }

        CachedRepresentation representation = Block2Cache.Store(BlockwiseKey.FromRequest(peer, request), response);
        var block = new CoapMessage { Token = response.Token };
        representation.WriteBlock(block, requested, szx, request.HasOption(CoapOptionNumber.Size2));
        return block;
    }

    /// <summary>The preferred block size exponent, lowered until a block with these options fits a datagram.</summary>
    private int BlockExponentFor(CoapMessage message)
    {
        int overhead = CoapMessageCodec.GetEncodedLength(message) - message.Payload.Length + 1 + 16;
        int fits = BlockOption.LargestExponentNotAbove(_options.MaxDatagramSize - overhead);
        return Math.Max(0, Math.Min(_options.PreferredBlockSizeExponent, fits));
    }
}

using Tern.Coap.Messages;

namespace Tern.Coap.Blockwise;

/// <summary>What a <see cref="Block1Sender"/> wants after a response.</summary>
public enum Block1SendStatus
{
    /// <summary>The block was acknowledged: send the next one (<see cref="Block1Sender.ApplyTo"/> on a new request).</summary>
    SendNext,

    /// <summary>The server asked for smaller blocks in a 4.13: the transfer starts again from block 0 at the smaller size.</summary>
    Restarted,

    /// <summary>The last block was acknowledged with a final response: the transfer is done and the response is the answer.</summary>
    Completed,

    /// <summary>The server refused the transfer (4.08, 4.13 with no usable hint, another error, or a response that makes no sense).</summary>
    Failed,
}

/// <summary>
/// Client side of Block1 (RFC 7959 §2.5): cuts a request body into blocks, adopts a smaller size when the server
/// answers with a smaller SZX (late negotiation: the next block number is recomputed from the bytes already sent,
/// Figure 8), restarts at a smaller size when a 4.13 carries a Block1 size hint, and knows when it is done.
/// A body that fits one block is sent without a Block1 option. Not thread-safe.
/// </summary>
public sealed class Block1Sender
{
    private int _sizeExponent;
    private bool _blockwise;

    /// <summary>Creates a sender for <paramref name="body"/> starting with blocks of 16 &lt;&lt; <paramref name="sizeExponent"/> bytes.</summary>
    public Block1Sender(ReadOnlyMemory<byte> body, int sizeExponent = BlockOption.MaxSizeExponent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sizeExponent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sizeExponent, BlockOption.MaxSizeExponent);
        if (body.Length > (long)(BlockOption.MaxNum + 1) * BlockOption.SizeOf(sizeExponent))
        {
            throw new ArgumentException("The body needs more than 2^20 blocks at this size; use a larger block size.", nameof(body));
        }

        Body = body;
        _sizeExponent = sizeExponent;
        _blockwise = body.Length > BlockOption.SizeOf(sizeExponent);
    }

    /// <summary>The whole body.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The offset of the block to send now.</summary>
    public int Offset { get; private set; }

    /// <summary>The size exponent in use.</summary>
    public int SizeExponent => _sizeExponent;

    /// <summary>True when the body goes out in blocks (with Block1), false when it fits one plain request.</summary>
    public bool IsBlockwise => _blockwise;

    /// <summary>True once the transfer completed or failed.</summary>
    public bool IsDone { get; private set; }

    /// <summary>The code of the response that failed the transfer, when it failed.</summary>
    public CoapCode? FailureCode { get; private set; }

    /// <summary>The server's largest acceptable body from a 4.13's Size1, when it sent one.</summary>
    public uint? ServerSizeLimit { get; private set; }

    /// <summary>The block to send now (valid while <see cref="IsBlockwise"/>).</summary>
    public BlockOption CurrentBlock
    {
        get
        {
            int size = BlockOption.SizeOf(_sizeExponent);
            return BlockOption.AtOffset(Offset, Offset + size < Body.Length, _sizeExponent);
        }
    }

    /// <summary>The payload of the block to send now.</summary>
    public ReadOnlyMemory<byte> CurrentPayload =>
        _blockwise ? Body.Slice(Offset, Math.Min(BlockOption.SizeOf(_sizeExponent), Body.Length - Offset)) : Body;

    /// <summary>
    /// Puts the current block into a request: payload and Block1 (when block-wise), plus Size1 = the body length on
    /// block 0 when <paramref name="includeSize1"/> is true (RFC 7959 §4 size indication).
    /// </summary>
    public void ApplyTo(CoapMessage request, bool includeSize1 = true)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Payload = CurrentPayload;
        request.SetBlock1(_blockwise ? CurrentBlock : null);
        request.SetSize1(_blockwise && includeSize1 && Offset == 0 ? (uint)Body.Length : null);
    }

    /// <summary>Takes the response to the request built by <see cref="ApplyTo"/> and says what to do next.</summary>
    public Block1SendStatus OnResponse(CoapMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (IsDone)
        {
            throw new InvalidOperationException("The transfer is already done; create a new Block1Sender.");
        }

        BlockOptionError error = response.TryGetBlock1(out BlockOption? echoed);
        if (error != BlockOptionError.None)
        {
            return Fail(response.Code);
        }

        if (response.Code == CoapCode.RequestEntityTooLarge)
        {
            return OnTooLarge(response, echoed);
        }

        if (!response.Code.IsSuccess)
        {
            return Fail(response.Code);
        }

        bool last = !_blockwise || !CurrentBlock.More;
        if (last)
        {
            if (response.Code == CoapCode.Continue)
            {
                return Fail(response.Code);
            }

            IsDone = true;
            return Block1SendStatus.Completed;
        }

        Offset += BlockOption.SizeOf(_sizeExponent);
        if (echoed is { } hint && hint.SizeExponent < _sizeExponent)
        {
            _sizeExponent = hint.SizeExponent;
        }

        return Block1SendStatus.SendNext;
    }

    private Block1SendStatus OnTooLarge(CoapMessage response, BlockOption? echoed)
    {
        ServerSizeLimit = response.GetSize1();
        if (ServerSizeLimit is { } limit && limit < Body.Length)
        {
            return Fail(response.Code);
        }

        int smaller = echoed is { } hint && hint.SizeExponent < _sizeExponent
            ? hint.SizeExponent
            : !_blockwise ? BlockOption.LargestExponentNotAbove(Body.Length - 1) : -1;
        if (smaller < 0)
        {
            return Fail(response.Code);
        }

        // A 4.13 to a plain request is a hint to try Block1; one with a smaller SZX is a hint to use it (RFC 7959 §2.9.3).
        _sizeExponent = Math.Min(smaller, _sizeExponent);
        _blockwise = true;
        Offset = 0;
        return Block1SendStatus.Restarted;
    }

    private Block1SendStatus Fail(CoapCode code)
    {
        IsDone = true;
        FailureCode = code;
        return Block1SendStatus.Failed;
    }
}

using Tern.Coap.Messages;

namespace Tern.Coap.Blockwise;

/// <summary>Whether a requested Block2 block could be cut from a representation.</summary>
public enum Block2SliceStatus
{
    /// <summary>The body fits one message and the client asked for no block: send it whole, with no Block2 option.</summary>
    Whole,

    /// <summary>A block was cut: send <see cref="Block2Slice.Payload"/> with <see cref="Block2Slice.Block"/>.</summary>
    Block,

    /// <summary>The requested block starts at or past the end of the representation: answer 4.02 Bad Option.</summary>
    BeyondEnd,
}

/// <summary>One block of a response representation, ready to be written into the response.</summary>
public readonly record struct Block2Slice
{
    /// <summary>What was cut.</summary>
    public Block2SliceStatus Status { get; init; }

    /// <summary>The payload to send (the block's bytes, or the whole body for <see cref="Block2SliceStatus.Whole"/>).</summary>
    public ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>The Block2 option for the response, or null for <see cref="Block2SliceStatus.Whole"/> and <see cref="Block2SliceStatus.BeyondEnd"/>.</summary>
    public BlockOption? Block { get; init; }

    /// <summary>The Size2 option (the whole representation's length) when the client asked for it, else null.</summary>
    public uint? Size2 { get; init; }

    /// <summary>The response code the slice imposes: 4.02 Bad Option for <see cref="Block2SliceStatus.BeyondEnd"/>, else null.</summary>
    public CoapCode? ErrorCode => Status == Block2SliceStatus.BeyondEnd ? CoapCode.BadOption : null;

    /// <summary>
    /// Writes the payload, Block2 and Size2 into <paramref name="response"/> (for <see cref="Block2SliceStatus.BeyondEnd"/>:
    /// sets 4.02, clears the payload and both options).
    /// </summary>
    public void ApplyTo(CoapMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (ErrorCode is { } code)
        {
            response.Code = code;
        }

        response.Payload = Payload;
        response.SetBlock2(Block);
        response.SetSize2(Size2);
    }
}

/// <summary>
/// Cuts a response representation into Block2 blocks (RFC 7959 §2.4). Stateless: the caller keeps the representation
/// (see <see cref="Block2RepresentationCache"/>) so later blocks come from the same version.
/// </summary>
public static class Block2Slicer
{
    /// <summary>
    /// Picks the block to send for a request.
    /// <list type="bullet">
    /// <item>No Block2 in the request and the body fits <paramref name="preferredSizeExponent"/>'s size: <see cref="Block2SliceStatus.Whole"/>.</item>
    /// <item>No Block2 and a larger body: block 0 at the preferred size with M=1.</item>
    /// <item>A Block2 request: the block at the requested offset, at the requested size capped by the preferred size
    /// (early negotiation); the block number is recomputed from the offset when the size shrinks, and M tells
    /// whether bytes remain after it.</item>
    /// <item>A requested offset at or past the end (other than block 0 of an empty body): <see cref="Block2SliceStatus.BeyondEnd"/>.</item>
    /// </list>
    /// </summary>
    /// <param name="representation">The whole response body.</param>
    /// <param name="requested">The request's Block2 option, or null.</param>
    /// <param name="preferredSizeExponent">The server's preferred (largest) block size exponent, 0–6.</param>
    /// <param name="size2Requested">True when the request carried Size2 (which asks for the total size).</param>
    public static Block2Slice Slice(ReadOnlyMemory<byte> representation, BlockOption? requested, int preferredSizeExponent, bool size2Requested = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(preferredSizeExponent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(preferredSizeExponent, BlockOption.MaxSizeExponent);
        uint? size2 = size2Requested ? (uint)representation.Length : null;
        int length = representation.Length;

        if (requested is not { } asked)
        {
            if (length <= BlockOption.SizeOf(preferredSizeExponent))
            {
                return new Block2Slice { Status = Block2SliceStatus.Whole, Payload = representation, Size2 = size2 };
            }

            asked = new BlockOption(0, false, preferredSizeExponent);
        }

        int offset = asked.Offset;
        if (offset >= length && !(offset == 0 && length == 0))
        {
            return new Block2Slice { Status = Block2SliceStatus.BeyondEnd };
        }

        int szx = Math.Min(asked.SizeExponent, preferredSizeExponent);
        int size = BlockOption.SizeOf(szx);
        int count = Math.Min(size, length - offset);
        bool more = offset + count < length;
        return new Block2Slice
        {
            Status = Block2SliceStatus.Block,
            Payload = representation.Slice(offset, count),
            Block = BlockOption.AtOffset(offset, more, szx),
            Size2 = size2,
        };
    }
}

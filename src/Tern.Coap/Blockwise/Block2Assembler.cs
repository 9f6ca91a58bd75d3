using Tern.Coap.Messages;

namespace Tern.Coap.Blockwise;

/// <summary>The result of adding one response block to a <see cref="Block2Assembler"/>.</summary>
public enum Block2AssemblyStatus
{
    /// <summary>Accepted; request <see cref="Block2Assembler.NextBlock"/> next.</summary>
    NeedMore,

    /// <summary>Accepted and it was the last block (or the response was not block-wise): <see cref="Block2Assembler.Body"/> is whole.</summary>
    Complete,

    /// <summary>The block does not start where the body ends so far (repeated or reordered). Nothing appended; the assembler stays usable, so request <see cref="Block2Assembler.NextBlock"/> again.</summary>
    UnexpectedBlock,

    /// <summary>The block's ETag differs from the first block's (a missing ETag where the first had one, or the reverse, also counts: stricter than RFC 7959 §2.4 requires). The representation changed mid-transfer: start again.</summary>
    ETagMismatch,

    /// <summary>The body (or the announced Size2) exceeds the maximum body size. Nothing appended.</summary>
    TooLarge,

    /// <summary>The Block2 option is malformed, or a non-final block does not fill its size, or the payload is larger than the block size.</summary>
    Malformed,

    /// <summary>The assembler already finished or failed; create a new one.</summary>
    Finished,
}

/// <summary>
/// Client side of Block2 (RFC 7959 §2.4): appends the blocks of a response in order, checks that each starts where
/// the body ends so far and carries the same ETag as the first, bounds the body by a maximum size, and says which
/// block to request next (at the server's size, or a smaller one the client prefers: late negotiation, Figure 4).
/// Never throws on what the server sends; never allocates more than the maximum body size. Not thread-safe.
/// </summary>
public sealed class Block2Assembler
{
    private readonly int _maxBodySize;
    private readonly int _preferredSizeExponent;
    private byte[] _buffer = [];
    private ReadOnlyMemory<byte>? _etag;
    private bool _finished;

    /// <summary>Creates an assembler.</summary>
    /// <param name="maxBodySize">The largest body accepted, in bytes.</param>
    /// <param name="preferredSizeExponent">The largest block size exponent the client wants to receive (0–6).</param>
    public Block2Assembler(int maxBodySize, int preferredSizeExponent = BlockOption.MaxSizeExponent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBodySize, 0);
        ArgumentOutOfRangeException.ThrowIfNegative(preferredSizeExponent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(preferredSizeExponent, BlockOption.MaxSizeExponent);
        _maxBodySize = maxBodySize;
        _preferredSizeExponent = preferredSizeExponent;
    }

    /// <summary>Bytes received so far.</summary>
    public int Length { get; private set; }

    /// <summary>Bytes allocated for the body (never above the maximum body size).</summary>
    public int Capacity => _buffer.Length;

    /// <summary>True once the last block arrived.</summary>
    public bool IsComplete { get; private set; }

    /// <summary>The body received so far (whole when <see cref="IsComplete"/>).</summary>
    public ReadOnlyMemory<byte> Body => _buffer.AsMemory(0, Length);

    /// <summary>The ETag of the first block, or null when it had none.</summary>
    public ReadOnlyMemory<byte>? ETag => _etag;

    /// <summary>The total size the server announced with Size2, if it did.</summary>
    public uint? AnnouncedSize { get; private set; }

    /// <summary>The Block2 option to put in the next request (valid after <see cref="Block2AssemblyStatus.NeedMore"/>); M is 0.</summary>
    public BlockOption NextBlock { get; private set; }

    /// <summary>Adds a response: reads its Block2, ETag and Size2 options and its payload.</summary>
    public Block2AssemblyStatus Append(CoapMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.TryGetBlock2(out BlockOption? block) != BlockOptionError.None)
        {
            return Fail(Block2AssemblyStatus.Malformed);
        }

        ReadOnlyMemory<byte>? etag = response.GetOption(CoapOptionNumber.ETag)?.Value;
        return Append(block, response.Payload.Span, etag, response.GetSize2());
    }

    /// <summary>Adds one block given by its parts (<paramref name="block"/> null for a response that is not block-wise).</summary>
    public Block2AssemblyStatus Append(BlockOption? block, ReadOnlySpan<byte> payload, ReadOnlyMemory<byte>? etag = null, uint? size2 = null)
    {
        if (_finished)
        {
            return Block2AssemblyStatus.Finished;
        }

        if (block is not { } b)
        {
            // Not block-wise: only acceptable as the first and only response.
            if (Length != 0)
            {
                return Fail(Block2AssemblyStatus.UnexpectedBlock);
            }

            if (payload.Length > _maxBodySize)
            {
                return Fail(Block2AssemblyStatus.TooLarge);
            }

            Store(payload, payload.Length);
            return Finish();
        }

        if ((b.More && payload.Length != b.Size) || payload.Length > b.Size)
        {
            return Fail(Block2AssemblyStatus.Malformed);
        }

        if (b.Offset != Length)
        {
            return Block2AssemblyStatus.UnexpectedBlock;
        }

        if (Length == 0)
        {
            _etag = etag;
            AnnouncedSize = size2;
            if (size2 > (uint)_maxBodySize)
            {
                return Fail(Block2AssemblyStatus.TooLarge);
            }
        }
        else if (!SameETag(_etag, etag))
        {
            return Fail(Block2AssemblyStatus.ETagMismatch);
        }

        if ((long)Length + payload.Length > _maxBodySize)
        {
            return Fail(Block2AssemblyStatus.TooLarge);
        }

        Store(payload, (int)Math.Min(_maxBodySize, Math.Max(AnnouncedSize ?? 0, 2L * (Length + payload.Length))));
        if (!b.More)
        {
            return Finish();
        }

        int szx = Math.Min(b.SizeExponent, _preferredSizeExponent);
        NextBlock = BlockOption.AtOffset(Length, false, szx);
        return Block2AssemblyStatus.NeedMore;
    }

    private static bool SameETag(ReadOnlyMemory<byte>? first, ReadOnlyMemory<byte>? current) =>
        first is null ? current is null : current is { } c && first.Value.Span.SequenceEqual(c.Span);

    private void Store(ReadOnlySpan<byte> payload, int growTo)
    {
        int needed = Length + payload.Length;
        if (needed > _buffer.Length)
        {
            byte[] grown = new byte[Math.Max(needed, growTo)];
            _buffer.AsSpan(0, Length).CopyTo(grown);
            _buffer = grown;
        }

        payload.CopyTo(_buffer.AsSpan(Length));
        Length = needed;
    }

    private Block2AssemblyStatus Finish()
    {
        IsComplete = true;
        _finished = true;
        return Block2AssemblyStatus.Complete;
    }

    private Block2AssemblyStatus Fail(Block2AssemblyStatus status)
    {
        _finished = true;
        return status;
    }
}

using Tern.Coap.Messages;
using Tern.Coap.Transport;

namespace Tern.Coap.Blockwise;

/// <summary>
/// Server side of Block1 (RFC 7959 §2.5): reassembles request bodies that arrive block by block, one transfer per
/// <see cref="BlockwiseKey"/> (peer + method + cache-key options; the token may change between blocks).
/// Blocks must arrive in order; the offset of each block (NUM × size) must equal the bytes received so far, so a
/// client may switch to the smaller size the server asked for (late negotiation, RFC 7959 Figure 8).
/// <para>
/// Memory is bounded: a transfer's buffer never grows past <see cref="BlockwiseLimits.MaxBodySize"/> (a block that
/// would pass it, or an announced Size1 above it, ends the transfer with 4.13), at most
/// <see cref="BlockwiseLimits.MaxTransfers"/> transfers are held, and a transfer idle for
/// <see cref="BlockwiseLimits.Lifetime"/> is dropped. When the table is full a new transfer evicts the one idle the
/// longest: RFC 7959 §2.5 lets a server discard partial bodies at any time, and the evicted client gets 4.08 and
/// can start again, whereas refusing new transfers would let stale ones lock everyone out for a whole lifetime.
/// </para>
/// Pure logic on an injected clock; not thread-safe (the engine owns it).
/// </summary>
public sealed class Block1Reassembler
{
    private readonly BlockwiseTable<Transfer> _transfers;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a reassembler.</summary>
    /// <param name="timeProvider">The clock for idle expiry.</param>
    /// <param name="limits">Bounds; the defaults when null.</param>
    public Block1Reassembler(TimeProvider timeProvider, BlockwiseLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        Limits = limits ?? new BlockwiseLimits();
        Limits.Validate();
        _transfers = new BlockwiseTable<Transfer>(Limits, t => t.LastActivity);
    }

    /// <summary>The bounds in force.</summary>
    public BlockwiseLimits Limits { get; }

    /// <summary>The number of transfers in progress.</summary>
    public int Count => _transfers.Count;

    /// <summary>The bytes currently allocated for partial bodies (sum of buffer capacities).</summary>
    public long BufferedBytes => _transfers.Values.Sum(t => (long)t.Buffer.Length);

    /// <summary>When the next idle transfer expires, or null when none is held. A driver may call <see cref="RemoveExpired"/> then.</summary>
    public DateTimeOffset? NextExpiry => _transfers.NextExpiry;

    /// <summary>
    /// Handles one request carrying a Block1 option (already read with
    /// <see cref="BlockwiseMessageExtensions.TryGetBlock1"/>). Reads the payload and any Size1 from the request.
    /// </summary>
    public Block1Outcome Accept(CoapPeer peer, CoapMessage request, BlockOption block1)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Accept(BlockwiseKey.FromRequest(peer, request), block1, request.Payload.Span, request.GetSize1());
    }

    /// <summary>Handles one block of the transfer <paramref name="key"/>; see the class remarks for the rules.</summary>
    /// <param name="key">The transfer, from <see cref="BlockwiseKey.FromRequest"/>.</param>
    /// <param name="block">The request's Block1 option.</param>
    /// <param name="payload">The request payload (this block's bytes).</param>
    /// <param name="size1">The request's Size1 option (the client's size indication), if any.</param>
    public Block1Outcome Accept(BlockwiseKey key, BlockOption block, ReadOnlySpan<byte> payload, uint? size1 = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        DateTimeOffset now = _timeProvider.GetUtcNow();
        _transfers.RemoveExpired(now);
        int max = Limits.MaxBodySize;

        if ((block.More && payload.Length != block.Size) || payload.Length > block.Size)
        {
            return new Block1Outcome { Kind = Block1OutcomeKind.BadRequest, ResponseCode = CoapCode.BadRequest };
        }

        if (size1 > (uint)max || (long)block.Offset + payload.Length > max)
        {
            _transfers.Remove(key);
            return TooLarge(block);
        }

        if (block.Num == 0)
        {
            return Start(key, block, payload, size1, now);
        }

        if (!_transfers.TryGetValue(key, out Transfer? transfer))
        {
            return Incomplete();
        }

        if (block.More && block.Offset == transfer.LastOffset && payload.Length == transfer.LastLength)
        {
            // The client repeated the block just taken (our 2.31 was lost): acknowledge again, append nothing.
            transfer.LastActivity = now;
            return Continue(block);
        }

        if (block.Offset != transfer.Received)
        {
            return Incomplete();
        }

        transfer.Append(payload, max);
        transfer.LastActivity = now;
        if (block.More)
        {
            return Continue(block);
        }

        _transfers.Remove(key);
        return Complete(block, transfer.Buffer.AsMemory(0, transfer.Received));
    }

    /// <summary>Drops the transfer for <paramref name="key"/>; false when there was none.</summary>
    public bool Remove(BlockwiseKey key) => _transfers.Remove(key);

    /// <summary>Drops transfers idle for a lifetime or longer; returns how many.</summary>
    public int RemoveExpired() => _transfers.RemoveExpired(_timeProvider.GetUtcNow());

    /// <summary>Reports the progress of a transfer: bytes received and bytes allocated. False when unknown.</summary>
    public bool TryGetProgress(BlockwiseKey key, out int received, out int allocated)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_transfers.TryGetValue(key, out Transfer? transfer))
        {
            received = transfer.Received;
            allocated = transfer.Buffer.Length;
            return true;
        }

        received = allocated = 0;
        return false;
    }

    private Block1Outcome Start(BlockwiseKey key, BlockOption block, ReadOnlySpan<byte> payload, uint? size1, DateTimeOffset now)
    {
        // A new block 0 restarts the transfer (RFC 7959 §2.5: it "simply overwrites the context").
        _transfers.Remove(key);
        if (!block.More)
        {
            return Complete(block, payload.ToArray());
        }

        int initial = (int)Math.Min(Limits.MaxBodySize, Math.Max(size1 ?? 0, 2L * payload.Length));
        var transfer = new Transfer(initial) { LastActivity = now };
        transfer.Append(payload, Limits.MaxBodySize);
        _transfers.Add(key, transfer);

        int szx = Math.Min(block.SizeExponent, Limits.PreferredSizeExponent);
        return new Block1Outcome
        {
            Kind = Block1OutcomeKind.Continue,
            ResponseCode = CoapCode.Continue,
            ResponseBlock = new BlockOption(0, true, szx),
        };
    }

    private static Block1Outcome Continue(BlockOption block) => new()
    {
        Kind = Block1OutcomeKind.Continue,
        ResponseCode = CoapCode.Continue,
        ResponseBlock = block.WithMore(true),
    };

    private static Block1Outcome Complete(BlockOption block, ReadOnlyMemory<byte> body) => new()
    {
        Kind = Block1OutcomeKind.Complete,
        ResponseBlock = block.WithMore(false),
        Body = body,
    };

    private static Block1Outcome Incomplete() => new()
    {
        Kind = Block1OutcomeKind.Incomplete,
        ResponseCode = CoapCode.RequestEntityIncomplete,
    };

    private Block1Outcome TooLarge(BlockOption block) => new()
    {
        Kind = Block1OutcomeKind.TooLarge,
        ResponseCode = CoapCode.RequestEntityTooLarge,
        ResponseBlock = new BlockOption(block.Num, false, Math.Min(block.SizeExponent, Limits.PreferredSizeExponent)),
        Size1 = (uint)Limits.MaxBodySize,
    };

    private sealed class Transfer(int initialCapacity)
    {
        public byte[] Buffer { get; private set; } = new byte[initialCapacity];

        public int Received { get; private set; }

        public int LastOffset { get; private set; } = -1;

        public int LastLength { get; private set; } = -1;

        public DateTimeOffset LastActivity { get; set; }

        public void Append(ReadOnlySpan<byte> payload, int max)
        {
            int needed = Received + payload.Length;
            if (needed > Buffer.Length)
            {
                byte[] grown = new byte[(int)Math.Min(max, Math.Max(needed, 2L * Buffer.Length))];
                Buffer.AsSpan(0, Received).CopyTo(grown);
                Buffer = grown;
            }

            payload.CopyTo(Buffer.AsSpan(Received));
            LastOffset = Received;
            LastLength = payload.Length;
            Received = needed;
        }
    }
}

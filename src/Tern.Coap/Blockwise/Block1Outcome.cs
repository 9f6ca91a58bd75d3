using Tern.Coap.Messages;

namespace Tern.Coap.Blockwise;

/// <summary>What the server should do with one Block1 request (see <see cref="Block1Reassembler"/>).</summary>
public enum Block1OutcomeKind
{
    /// <summary>More blocks are expected: answer 2.31 Continue with <see cref="Block1Outcome.ResponseBlock"/>.</summary>
    Continue,

    /// <summary>
    /// The body is complete in <see cref="Block1Outcome.Body"/>: run the handler with it and put
    /// <see cref="Block1Outcome.ResponseBlock"/> into its response.
    /// </summary>
    Complete,

    /// <summary>A block is missing or out of order, or no transfer is known: answer 4.08 Request Entity Incomplete.</summary>
    Incomplete,

    /// <summary>The body would exceed the limit: answer 4.13 Request Entity Too Large with Size1 = <see cref="Block1Outcome.Size1"/>.</summary>
    TooLarge,

    /// <summary>The block's payload does not match its size (a non-final block must fill it exactly): answer 4.00 Bad Request.</summary>
    BadRequest,
}

/// <summary>The reassembler's answer to one Block1 request.</summary>
public readonly record struct Block1Outcome
{
    /// <summary>What to do.</summary>
    public Block1OutcomeKind Kind { get; init; }

    /// <summary>
    /// The response code: 2.31, 4.08, 4.13 or 4.00; for <see cref="Block1OutcomeKind.Complete"/> the handler picks the
    /// code and this is null.
    /// </summary>
    public CoapCode? ResponseCode { get; init; }

    /// <summary>The Block1 option for the response (the acknowledged block, possibly with a smaller preferred SZX), or null.</summary>
    public BlockOption? ResponseBlock { get; init; }

    /// <summary>The Size1 option for a 4.13 response: the largest acceptable body. Null otherwise.</summary>
    public uint? Size1 { get; init; }

    /// <summary>The assembled body when <see cref="Kind"/> is <see cref="Block1OutcomeKind.Complete"/>; empty otherwise.</summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>
    /// Writes this outcome into a response: the Block1 and Size1 options, and the code unless the transfer is
    /// complete (then the handler has set it).
    /// </summary>
    public void ApplyTo(CoapMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (ResponseCode is { } code)
        {
            response.Code = code;
        }

        response.SetBlock1(ResponseBlock);
        response.SetSize1(Size1);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Kind} {ResponseCode} block1={ResponseBlock} size1={Size1} body={Body.Length}B";
}

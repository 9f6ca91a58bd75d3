using Tern.Coap.Messages;

namespace Tern.Coap.Blockwise;

/// <summary>Why a Block1 or Block2 option value could not be used (RFC 7959 §2.2).</summary>
public enum BlockOptionError
{
    /// <summary>The value is well formed (or the option is absent).</summary>
    None = 0,

    /// <summary>The value is longer than 3 bytes: outside the option's defined length range.</summary>
    ValueTooLong,

    /// <summary>SZX is 7, which RFC 7959 §2.2 reserves: a request carrying it gets 4.00 Bad Request.</summary>
    ReservedSizeExponent,

    /// <summary>The option occurs more than once; Block1 and Block2 are not repeatable.</summary>
    Repeated,
}

/// <summary>Maps block option errors to the response a server sends for a request that carries them.</summary>
public static class BlockOptionErrorExtensions
{
    /// <summary>
    /// The response code for a request whose Block option is bad: 4.00 Bad Request for SZX 7 (RFC 7959 §2.2);
    /// 4.02 Bad Option for a value of the wrong length or a repeated option, which RFC 7252 §5.4.1/§5.4.5 treat
    /// as an unrecognized critical option. <see cref="BlockOptionError.None"/> has no error code and throws.
    /// </summary>
    public static CoapCode ToResponseCode(this BlockOptionError error) => error switch
    {
        BlockOptionError.ReservedSizeExponent => CoapCode.BadRequest,
        BlockOptionError.ValueTooLong or BlockOptionError.Repeated => CoapCode.BadOption,
        _ => throw new ArgumentOutOfRangeException(nameof(error), error, "Only an actual error maps to a response code."),
    };
}

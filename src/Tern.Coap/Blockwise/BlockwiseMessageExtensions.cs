using Tern.Coap.Messages;

namespace Tern.Coap.Blockwise;

/// <summary>Reads and writes Block1, Block2, Size1 and Size2 on a <see cref="CoapMessage"/>.</summary>
public static class BlockwiseMessageExtensions
{
    /// <summary>
    /// Reads the Block1 option. Returns <see cref="BlockOptionError.None"/> with <paramref name="block"/> null when
    /// the option is absent; a typed error (never an exception) when it is malformed or repeated.
    /// </summary>
    public static BlockOptionError TryGetBlock1(this CoapMessage message, out BlockOption? block) =>
        TryGetBlock(message, CoapOptionNumber.Block1, out block);

    /// <summary>Reads the Block2 option; see <see cref="TryGetBlock1"/>.</summary>
    public static BlockOptionError TryGetBlock2(this CoapMessage message, out BlockOption? block) =>
        TryGetBlock(message, CoapOptionNumber.Block2, out block);

    /// <summary>Reads a block option with the given number; see <see cref="TryGetBlock1"/>.</summary>
    public static BlockOptionError TryGetBlock(this CoapMessage message, ushort optionNumber, out BlockOption? block)
    {
        ArgumentNullException.ThrowIfNull(message);
        block = null;
        CoapOption? found = null;
        foreach (CoapOption option in message.Options)
        {
            if (option.Number != optionNumber)
            {
                continue;
            }

            if (found is not null)
            {
                return BlockOptionError.Repeated;
            }

            found = option;
        }

        if (found is not { } present)
        {
            return BlockOptionError.None;
        }

        BlockOptionError error = BlockOption.TryDecode(present.Value.Span, out BlockOption decoded);
        if (error == BlockOptionError.None)
        {
            block = decoded;
        }

        return error;
    }

    /// <summary>Replaces the Block1 option (or removes it when <paramref name="block"/> is null).</summary>
    public static CoapMessage SetBlock1(this CoapMessage message, BlockOption? block) =>
        SetBlock(message, CoapOptionNumber.Block1, block);

    /// <summary>Replaces the Block2 option (or removes it when <paramref name="block"/> is null).</summary>
    public static CoapMessage SetBlock2(this CoapMessage message, BlockOption? block) =>
        SetBlock(message, CoapOptionNumber.Block2, block);

    private static CoapMessage SetBlock(CoapMessage message, ushort optionNumber, BlockOption? block)
    {
        ArgumentNullException.ThrowIfNull(message);
        message.RemoveOption(optionNumber);
        if (block is { } value)
        {
            message.AddOption(value.ToOption(optionNumber));
        }

        return message;
    }

    /// <summary>The Size1 option value, or null when absent or wider than 4 bytes.</summary>
    public static uint? GetSize1(this CoapMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.GetUIntOption(CoapOptionNumber.Size1);
    }

    /// <summary>The Size2 option value, or null when absent or wider than 4 bytes.</summary>
    public static uint? GetSize2(this CoapMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.GetUIntOption(CoapOptionNumber.Size2);
    }

    /// <summary>Replaces the Size1 option (or removes it when <paramref name="size"/> is null).</summary>
    public static CoapMessage SetSize1(this CoapMessage message, uint? size) => SetUInt(message, CoapOptionNumber.Size1, size);

    /// <summary>Replaces the Size2 option (or removes it when <paramref name="size"/> is null).</summary>
    public static CoapMessage SetSize2(this CoapMessage message, uint? size) => SetUInt(message, CoapOptionNumber.Size2, size);

    private static CoapMessage SetUInt(CoapMessage message, ushort number, uint? value)
    {
        ArgumentNullException.ThrowIfNull(message);
        message.RemoveOption(number);
        if (value is { } v)
        {
            message.AddOption(CoapOption.FromUInt(number, v));
        }

        return message;
    }
}

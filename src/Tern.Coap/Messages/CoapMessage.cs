using System.Runtime.InteropServices;

namespace Tern.Coap.Messages;

/// <summary>
/// A CoAP message held in memory: header fields, token, options in ascending number order
/// (repeated options keep their order) and payload. The wire form is produced and read by
/// <see cref="CoapMessageCodec"/>.
/// </summary>
public sealed class CoapMessage
{
    private readonly List<CoapOption> _options = [];

    /// <summary>The message type (CON, NON, ACK, RST).</summary>
    public CoapMessageType Type { get; set; }

    /// <summary>The request method, response code, or 0.00 for an empty message.</summary>
    public CoapCode Code { get; set; }

    /// <summary>The 16-bit message ID used for deduplication and ACK/RST matching.</summary>
    public ushort MessageId { get; set; }

    /// <summary>The token (0–8 bytes) used to match responses to requests.</summary>
    public ReadOnlyMemory<byte> Token { get; set; }

    /// <summary>The options, kept sorted by number (stable for repeated options).</summary>
    public IReadOnlyList<CoapOption> Options => _options;

    /// <summary>
    /// The options as a span over the backing list, for the codec's hot path: iterating
    /// <see cref="Options"/> through <see cref="IReadOnlyList{T}"/> would box the list's enumerator.
    /// Valid only until the options are next changed.
    /// </summary>
    internal ReadOnlySpan<CoapOption> OptionSpan => CollectionsMarshal.AsSpan(_options);

    /// <summary>The payload; empty when the message has none.</summary>
    public ReadOnlyMemory<byte> Payload { get; set; }

    /// <summary>Adds an option, keeping the list ordered by option number.</summary>
    public CoapMessage AddOption(CoapOption option)
    {
        int index = _options.Count;
        while (index > 0 && _options[index - 1].Number > option.Number)
        {
            index--;
        }

        _options.Insert(index, option);
        return this;
    }

    /// <summary>Reserves room for <paramref name="count"/> options (the decoder knows the count up front).</summary>
    internal void EnsureOptionCapacity(int count) => _options.EnsureCapacity(count);

    /// <summary>Appends an option the caller knows sorts at the end (the decoder reads them in wire order).</summary>
    internal void AppendOptionInOrder(CoapOption option)
    {
        System.Diagnostics.Debug.Assert(_options.Count == 0 || _options[^1].Number <= option.Number, "Options must arrive in order.");
        _options.Add(option);
    }

    /// <summary>Removes every instance of an option.</summary>
    public CoapMessage RemoveOption(ushort number)
    {
        // A loop rather than RemoveAll with a capturing lambda: setting Observe or Content-Format on every
        // notification should not allocate a closure.
        for (int i = _options.Count - 1; i >= 0; i--)
        {
            if (_options[i].Number == number)
            {
                _options.RemoveAt(i);
            }
        }

        return this;
    }

    /// <summary>Replaces every instance of an option with a single one.</summary>
    public CoapMessage SetOption(CoapOption option) => RemoveOption(option.Number).AddOption(option);

    /// <summary>Returns the first option with this number, or <c>null</c>.</summary>
    public CoapOption? GetOption(ushort number)
    {
        foreach (CoapOption option in _options)
        {
            if (option.Number == number)
            {
                return option;
            }
        }

        return null;
    }

    /// <summary>True when at least one option with this number is present.</summary>
    public bool HasOption(ushort number) => GetOption(number) is not null;

    /// <summary>Every option with this number, in order.</summary>
    public IEnumerable<CoapOption> GetOptions(ushort number) => _options.Where(o => o.Number == number);

    /// <summary>Reads a uint option, or <c>null</c> when absent or longer than 4 bytes.</summary>
    public uint? GetUIntOption(ushort number) =>
        GetOption(number) is { } option && option.TryGetUInt(out uint value) ? value : null;

    /// <summary>The Uri-Path segments joined with '/', with a leading '/'.</summary>
    public string UriPath => "/" + string.Join('/', GetOptions(CoapOptionNumber.UriPath).Select(o => o.GetString()));

    /// <summary>The Uri-Query parameters, in order.</summary>
    public IEnumerable<string> UriQueries => GetOptions(CoapOptionNumber.UriQuery).Select(o => o.GetString());

    /// <summary>Sets Uri-Path options from a path like <c>/rd/5a3f</c>, replacing existing ones.</summary>
    public CoapMessage SetUriPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        RemoveOption(CoapOptionNumber.UriPath);
        foreach (string segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            AddOption(CoapOption.FromString(CoapOptionNumber.UriPath, segment));
        }

        return this;
    }

    /// <summary>The Content-Format option value, or <c>null</c>.</summary>
    public ushort? ContentFormat
    {
        get => GetUIntOption(CoapOptionNumber.ContentFormat) is { } v and <= ushort.MaxValue ? (ushort)v : null;
        set
        {
            RemoveOption(CoapOptionNumber.ContentFormat);
            if (value is { } v)
            {
                AddOption(CoapOption.FromUInt(CoapOptionNumber.ContentFormat, v));
            }
        }
    }

    /// <summary>The Observe option value, or <c>null</c>.</summary>
    public uint? Observe
    {
        get => GetUIntOption(CoapOptionNumber.Observe);
        set
        {
            RemoveOption(CoapOptionNumber.Observe);
            if (value is { } v)
            {
                AddOption(CoapOption.FromUInt(CoapOptionNumber.Observe, v & 0xFFFFFF));
            }
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Type} {Code} mid={MessageId} token={Convert.ToHexString(Token.Span)} options={_options.Count} payload={Payload.Length}B";
}

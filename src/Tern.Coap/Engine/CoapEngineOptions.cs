using Tern.Coap.Messages;

namespace Tern.Coap.Engine;

/// <summary>
/// Settings of a <see cref="CoapEngine"/>: transmission parameters, token length, size limits and the caps
/// that keep memory bounded whatever the network sends. Values are checked when set.
/// </summary>
public sealed class CoapEngineOptions
{
    private readonly CoapTransmissionOptions _transmission = CoapTransmissionOptions.Default;
    private readonly int _tokenLength = 8;
    private readonly int _maxDatagramSize = 1152;
    private readonly int _maxDeduplicationEntries = 4096;
    private readonly int _maxPendingExchanges = 1024;
    private readonly int _maxIncomingRequests = 1024;
    private readonly int _maxObservers = 1024;
    private readonly TimeSpan? _separateResponseDelay = TimeSpan.FromSeconds(1);
    private readonly TimeSpan? _responseTimeout;
    private readonly TimeSpan _confirmableNotificationInterval = TimeSpan.FromHours(24);
    private readonly IReadOnlySet<ushort> _additionalRecognizedOptions = new HashSet<ushort>();
    private readonly int _maxBodySize = 64 * 1024;
    private readonly int _preferredBlockSizeExponent = 6;
    private readonly int _maxBlockwiseTransfers = 32;
    private Func<CoapMessage, bool>? _passBlock1Through;

    /// <summary>Defaults throughout.</summary>
    public static CoapEngineOptions Default { get; } = new();

    /// <summary>ACK_TIMEOUT, ACK_RANDOM_FACTOR, MAX_RETRANSMIT and the spans derived from them.</summary>
    public CoapTransmissionOptions Transmission
    {
        get => _transmission;
        init => _transmission = value ?? throw new ArgumentNullException(nameof(Transmission), "Transmission options are required; use CoapTransmissionOptions.Default.");
    }

    /// <summary>Length of the tokens the engine generates, 1–8 bytes (default 8: hard to guess, RFC 7252 §5.3.1).</summary>
    public int TokenLength
    {
        get => _tokenLength;
        init => _tokenLength = value is >= 1 and <= 8 ? value
            : throw new ArgumentOutOfRangeException(nameof(TokenLength), value, "A generated token is 1 to 8 bytes long.");
    }

    /// <summary>Datagrams longer than this are ignored on receipt and never produced (default 1152, RFC 7252 §4.6).</summary>
    public int MaxDatagramSize
    {
        get => _maxDatagramSize;
        init => _maxDatagramSize = value is >= 64 and <= 65507 ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxDatagramSize), value, "The maximum datagram size must be between 64 and 65507 bytes.");
    }

    /// <summary>Cap on remembered (peer, message ID) pairs; the oldest is forgotten first when full.</summary>
    public int MaxDeduplicationEntries
    {
        get => _maxDeduplicationEntries;
        init => _maxDeduplicationEntries = value >= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxDeduplicationEntries), value, "Keep at least one deduplication entry.");
    }

    /// <summary>Cap on outbound requests in flight or queued (all peers); beyond it a request fails with <see cref="CoapErrorKind.CapacityExceeded"/>.</summary>
    public int MaxPendingExchanges
    {
        get => _maxPendingExchanges;
        init => _maxPendingExchanges = value >= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxPendingExchanges), value, "Allow at least one pending exchange.");
    }

    /// <summary>Cap on incoming requests waiting for the application's response; beyond it a CON request is answered 5.03.</summary>
    public int MaxIncomingRequests
    {
        get => _maxIncomingRequests;
        init => _maxIncomingRequests = value >= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxIncomingRequests), value, "Allow at least one incoming request.");
    }

    /// <summary>Cap on registered observers (server role); beyond it a registration is served as a plain GET.</summary>
    public int MaxObservers
    {
        get => _maxObservers;
        init => _maxObservers = value >= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxObservers), value, "Allow at least one observer.");
    }

    /// <summary>
    /// How long a confirmable request may wait for the application before the engine sends an empty ACK and the
    /// response goes separately (default 1 s, below ACK_TIMEOUT so the client does not retransmit). Null: only on demand.
    /// </summary>
    public TimeSpan? SeparateResponseDelay
    {
        get => _separateResponseDelay;
        init => _separateResponseDelay = value is null || value.Value >= TimeSpan.Zero ? value
            : throw new ArgumentOutOfRangeException(nameof(SeparateResponseDelay), value, "The separate-response delay cannot be negative.");
    }

    /// <summary>
    /// How long a client waits for a response once its request was acknowledged (CON) or sent (NON).
    /// Default: MAX_TRANSMIT_WAIT of <see cref="Transmission"/>.
    /// </summary>
    public TimeSpan ResponseTimeout
    {
        get => _responseTimeout ?? Transmission.MaxTransmitWait;
        init => _responseTimeout = value > TimeSpan.Zero ? value
            : throw new ArgumentOutOfRangeException(nameof(ResponseTimeout), value, "The response timeout must be positive.");
    }

    /// <summary>An observer gets a confirmable notification at least this often (RFC 7641 §4.5: 24 hours).</summary>
    public TimeSpan ConfirmableNotificationInterval
    {
        get => _confirmableNotificationInterval;
        init => _confirmableNotificationInterval = value > TimeSpan.Zero ? value
            : throw new ArgumentOutOfRangeException(nameof(ConfirmableNotificationInterval), value, "The confirmable-notification interval must be positive.");
    }

    /// <summary>
    /// Option numbers the application understands beyond those of RFC 7252, 7641, 7959 and 7967.
    /// A critical option outside both sets makes a request fail with 4.02 Bad Option.
    /// </summary>
    public IReadOnlySet<ushort> AdditionalRecognizedOptions
    {
        get => _additionalRecognizedOptions;
        init => _additionalRecognizedOptions = value ?? throw new ArgumentNullException(nameof(AdditionalRecognizedOptions));
    }

    /// <summary>
    /// The largest body reassembled from blocks, in either role (default 64 KiB). A Block1 upload beyond it gets
    /// 4.13 with Size1; a Block2 download beyond it fails with <see cref="CoapErrorKind.TooLarge"/>.
    /// </summary>
    public int MaxBodySize
    {
        get => _maxBodySize;
        init => _maxBodySize = value >= 16 ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxBodySize), value, "The maximum body size must be at least 16 bytes.");
    }

    /// <summary>
    /// The block size this engine prefers as SZX, 0–6 (16 × 2^SZX bytes; default 6 = 1024). Bodies larger than a block
    /// go block-wise; peers asking for larger blocks are negotiated down to it.
    /// </summary>
    public int PreferredBlockSizeExponent
    {
        get => _preferredBlockSizeExponent;
        init => _preferredBlockSizeExponent = value is >= 0 and <= 6 ? value
            : throw new ArgumentOutOfRangeException(nameof(PreferredBlockSizeExponent), value, "SZX is 0 (16 bytes) to 6 (1024 bytes).");
    }

    /// <summary>
    /// Client role: when true (the default), a response carrying Block2 with M=1 makes the engine fetch the remaining
    /// blocks and deliver the reassembled body. When false, each response is delivered as it came, Block2 option and
    /// all, so the caller can walk a large representation block by block (RFC 7959 §2.4) without holding it whole,
    /// e.g. to stream a firmware image to storage.
    /// </summary>
    public bool FollowBlock2 { get; init; } = true;

    /// <summary>
    /// Server role: requests for which this returns true are handed to the application one Block1 block at a time,
    /// Block1 option kept, instead of being reassembled first; the application answers each block itself (2.31
    /// Continue echoing Block1, 4.08 for a block out of order, the final code on the last). Lets a large upload,
    /// e.g. a firmware package written to /5/0/0, go straight to storage. Null (the default): every upload is reassembled.
    /// </summary>
    public Func<CoapMessage, bool>? PassBlock1Through
    {
        get => _passBlock1Through;
        init => _passBlock1Through = value;
    }

    /// <summary>Server role: Block1 reassemblies and cached Block2 representations held at once (default 32 each).</summary>
    public int MaxBlockwiseTransfers
    {
        get => _maxBlockwiseTransfers;
        init => _maxBlockwiseTransfers = value >= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxBlockwiseTransfers), value, "Allow at least one block-wise transfer.");
    }

    /// <summary>A copy of these settings with <see cref="PassBlock1Through"/> replaced, for a host that adds the filter to an application's settings.</summary>
    /// <param name="filter">The new filter; null reassembles every upload.</param>
    public CoapEngineOptions WithPassBlock1Through(Func<CoapMessage, bool>? filter)
    {
        var copy = (CoapEngineOptions)MemberwiseClone();
        copy._passBlock1Through = filter;
        return copy;
    }
}

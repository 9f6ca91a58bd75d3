namespace Tern.Coap.Engine;

/// <summary>
/// The message-layer transmission parameters of RFC 7252 §4.8 and the time spans derived from them
/// (§4.8.2). Values are checked when set, so an instance is always usable.
/// </summary>
public sealed class CoapTransmissionOptions
{
    private readonly TimeSpan _ackTimeout = TimeSpan.FromSeconds(2);
    private readonly double _ackRandomFactor = 1.5;
    private readonly int _maxRetransmit = 4;
    private readonly TimeSpan _maxLatency = TimeSpan.FromSeconds(100);

    /// <summary>The RFC 7252 defaults: ACK_TIMEOUT 2 s, ACK_RANDOM_FACTOR 1.5, MAX_RETRANSMIT 4.</summary>
    public static CoapTransmissionOptions Default { get; } = new();

    /// <summary>ACK_TIMEOUT: the lower bound of the first retransmission timeout. Between 1 ms and 1 hour.</summary>
    public TimeSpan AckTimeout
    {
        get => _ackTimeout;
        init
        {
            if (value < TimeSpan.FromMilliseconds(1) || value > TimeSpan.FromHours(1))
            {
                throw new ArgumentOutOfRangeException(nameof(AckTimeout), value, "ACK_TIMEOUT must be between 1 ms and 1 hour (RFC 7252 default: 2 s).");
            }

            _ackTimeout = value;
        }
    }

    /// <summary>ACK_RANDOM_FACTOR: the first timeout is drawn from [ACK_TIMEOUT, ACK_TIMEOUT × factor]. At least 1.0, at most 10.</summary>
    public double AckRandomFactor
    {
        get => _ackRandomFactor;
        init
        {
            if (!(value >= 1.0 && value <= 10.0))
            {
                throw new ArgumentOutOfRangeException(nameof(AckRandomFactor), value, "ACK_RANDOM_FACTOR must be between 1.0 and 10 (RFC 7252 requires at least 1.0; default 1.5).");
            }

            _ackRandomFactor = value;
        }
    }

    /// <summary>MAX_RETRANSMIT: how many times a confirmable message is re-sent before the exchange fails. 0–20.</summary>
    public int MaxRetransmit
    {
        get => _maxRetransmit;
        init
        {
            if (value is < 0 or > 20)
            {
                throw new ArgumentOutOfRangeException(nameof(MaxRetransmit), value, "MAX_RETRANSMIT must be between 0 and 20 (RFC 7252 default: 4).");
            }

            _maxRetransmit = value;
        }
    }

    /// <summary>MAX_LATENCY: the longest time a datagram is expected to travel (RFC 7252 §4.8.2: 100 s).</summary>
    public TimeSpan MaxLatency
    {
        get => _maxLatency;
        init
        {
            if (value < TimeSpan.Zero || value > TimeSpan.FromHours(1))
            {
                throw new ArgumentOutOfRangeException(nameof(MaxLatency), value, "MAX_LATENCY must be between 0 and 1 hour (RFC 7252 default: 100 s).");
            }

            _maxLatency = value;
        }
    }

    /// <summary>PROCESSING_DELAY: the time a node takes to turn a CON around into its ACK; RFC 7252 sets it to ACK_TIMEOUT.</summary>
    public TimeSpan ProcessingDelay => AckTimeout;

    /// <summary>MAX_TRANSMIT_SPAN: ACK_TIMEOUT × (2^MAX_RETRANSMIT − 1) × ACK_RANDOM_FACTOR (45 s by default).</summary>
    public TimeSpan MaxTransmitSpan => AckTimeout * (((1L << MaxRetransmit) - 1) * AckRandomFactor);

    /// <summary>MAX_TRANSMIT_WAIT: ACK_TIMEOUT × (2^(MAX_RETRANSMIT + 1) − 1) × ACK_RANDOM_FACTOR (93 s by default).</summary>
    public TimeSpan MaxTransmitWait => AckTimeout * (((1L << (MaxRetransmit + 1)) - 1) * AckRandomFactor);

    /// <summary>MAX_RTT: 2 × MAX_LATENCY + PROCESSING_DELAY (202 s by default).</summary>
    public TimeSpan MaxRtt => (2 * MaxLatency) + ProcessingDelay;

    /// <summary>EXCHANGE_LIFETIME: MAX_TRANSMIT_SPAN + 2 × MAX_LATENCY + PROCESSING_DELAY (247 s by default).</summary>
    public TimeSpan ExchangeLifetime => MaxTransmitSpan + (2 * MaxLatency) + ProcessingDelay;

    /// <summary>NON_LIFETIME: MAX_TRANSMIT_SPAN + MAX_LATENCY (145 s by default).</summary>
    public TimeSpan NonLifetime => MaxTransmitSpan + MaxLatency;
}

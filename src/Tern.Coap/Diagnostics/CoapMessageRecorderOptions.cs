namespace Tern.Coap.Diagnostics;

/// <summary>Settings of a <see cref="CoapMessageRecorder"/>. Values are checked when set.</summary>
public sealed class CoapMessageRecorderOptions
{
    private readonly int _capacity = 10_000;
    private readonly TimeSpan _repeatWindow = TimeSpan.FromSeconds(247);

    /// <summary>
    /// How many entries the recorder keeps (10 000 unless set); beyond it the oldest are forgotten and counted in
    /// <see cref="CoapMessageRecorder.DroppedCount"/>.
    /// </summary>
    public int Capacity
    {
        get => _capacity;
        init => _capacity = value >= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(Capacity), value, "Keep at least one entry.");
    }

    /// <summary>
    /// How long a message ID counts as seen for marking retransmissions (247 s unless set: RFC 7252's
    /// EXCHANGE_LIFETIME with default transmission parameters, after which a message ID may be reused).
    /// </summary>
    public TimeSpan RepeatWindow
    {
        get => _repeatWindow;
        init => _repeatWindow = value > TimeSpan.Zero ? value
            : throw new ArgumentOutOfRangeException(nameof(RepeatWindow), value, "The repeat window must be positive.");
    }

    /// <summary>
    /// How many message IDs and request tokens the recorder remembers for matching retransmissions and responses
    /// (4096 unless set); the oldest are forgotten first.
    /// </summary>
    public int MatchingCapacity
    {
        get;
        init => field = value >= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(MatchingCapacity), value, "Remember at least one message.");
    } = 4096;
}

namespace Tern.Coap.Transport.Virtual;

/// <summary>
/// How a <see cref="VirtualNetwork"/> treats datagrams on a link: what share it loses or duplicates and how late it
/// delivers them. Random choices come from the network's seeded generator, so a run repeats exactly.
/// </summary>
public sealed record VirtualLinkConditions
{
    /// <summary>A link that delivers every datagram once, at once.</summary>
    public static VirtualLinkConditions Perfect { get; } = new();

    /// <summary>The chance, 0 to 1, that a datagram is lost.</summary>
    public double LossProbability { get; init; }

    /// <summary>The chance, 0 to 1, that a datagram that is not lost arrives twice (each copy delayed independently).</summary>
    public double DuplicationProbability { get; init; }

    /// <summary>A fixed one-way delay added to every datagram.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>
    /// The largest extra delay, drawn uniformly from zero to this for every copy. Datagrams sent close together
    /// overtake each other when it exceeds their spacing, which is how the network reorders.
    /// </summary>
    public TimeSpan ReorderJitter { get; init; }

    internal void Validate()
    {
        if (double.IsNaN(LossProbability) || LossProbability is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(LossProbability), LossProbability, "LossProbability must be between 0 and 1.");
        }

        if (double.IsNaN(DuplicationProbability) || DuplicationProbability is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(DuplicationProbability), DuplicationProbability, "DuplicationProbability must be between 0 and 1.");
        }

        if (Latency < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Latency), Latency, "Latency must not be negative.");
        }

        if (ReorderJitter < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ReorderJitter), ReorderJitter, "ReorderJitter must not be negative.");
        }
    }
}

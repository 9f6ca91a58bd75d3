namespace WaterMeter;

/// <summary>What the leak detector concludes from the metering periods seen so far.</summary>
public enum LeakStatus
{
    /// <summary>Water stopped flowing at some point recently: ordinary use.</summary>
    None,

    /// <summary>Water has flowed without a pause for <see cref="LeakDetectorOptions.SuspectAfter"/>.</summary>
    Suspected,

    /// <summary>Water has flowed without a pause for <see cref="LeakDetectorOptions.DetectAfter"/>.</summary>
    Detected,
}

/// <summary>Thresholds of <see cref="LeakDetector"/>.</summary>
public sealed record LeakDetectorOptions
{
    /// <summary>The flow (m³/s) below which the water counts as stopped; a leaking pipe never goes below it.</summary>
    public double StoppedBelow { get; init; } = 1e-6;

    /// <summary>How long the flow must go on without a pause before a leak is suspected.</summary>
    public TimeSpan SuspectAfter { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long the flow must go on without a pause before a leak is taken as detected.</summary>
    public TimeSpan DetectAfter { get; init; } = TimeSpan.FromHours(3);

    /// <summary>Throws when the thresholds make no sense together.</summary>
    /// <exception cref="ArgumentException">A threshold is negative, or detection comes before suspicion.</exception>
    public void Validate()
    {
        if (StoppedBelow < 0 || double.IsNaN(StoppedBelow) || SuspectAfter <= TimeSpan.Zero || DetectAfter < SuspectAfter)
        {
            throw new ArgumentException(
                $"Leak thresholds need StoppedBelow >= 0 ({StoppedBelow}), SuspectAfter > 0 ({SuspectAfter}) and DetectAfter >= SuspectAfter ({DetectAfter}).");
        }
    }
}

/// <summary>
/// Finds leaks from sustained flow: household use stops now and then (the minimum flow of some metering period is
/// zero), a leak never does. Fed one metering period at a time with its minimum flow rate; the status rises to
/// <see cref="LeakStatus.Suspected"/> and then <see cref="LeakStatus.Detected"/> as the uninterrupted flow lasts, and
/// falls back to <see cref="LeakStatus.None"/> as soon as a period shows the water stopped. Pure logic: time is passed in.
/// </summary>
public sealed class LeakDetector
{
    private readonly LeakDetectorOptions _options;

    /// <summary>Creates a detector with <paramref name="options"/> (defaults when null).</summary>
    /// <exception cref="ArgumentException">The options are inconsistent.</exception>
    public LeakDetector(LeakDetectorOptions? options = null)
    {
        _options = options ?? new LeakDetectorOptions();
        _options.Validate();
    }

    /// <summary>The current conclusion.</summary>
    public LeakStatus Status { get; private set; }

    /// <summary>The start of the period since which water has flowed without a pause, or null when it is stopped.</summary>
    public DateTimeOffset? FlowingSince { get; private set; }

    /// <summary>
    /// Takes one metering period: from <paramref name="start"/> to <paramref name="end"/>, during which the flow never
    /// went below <paramref name="minimumFlow"/> (m³/s). Returns true when <see cref="Status"/> changed.
    /// </summary>
    /// <exception cref="ArgumentException">The period ends before it starts, or the flow is not a finite number.</exception>
    public bool Observe(DateTimeOffset start, DateTimeOffset end, double minimumFlow)
    {
        if (end < start || !double.IsFinite(minimumFlow))
        {
            throw new ArgumentException($"A metering period needs end >= start ({start:O} .. {end:O}) and a finite flow ({minimumFlow}).");
        }

        LeakStatus before = Status;
        if (Math.Abs(minimumFlow) < _options.StoppedBelow || minimumFlow < 0)
        {
            // Stopped (or running backwards, which is back flow, not a leak).
            FlowingSince = null;
            Status = LeakStatus.None;
        }
        else
        {
            FlowingSince ??= start;
            TimeSpan flowing = end - FlowingSince.Value;
            Status = flowing >= _options.DetectAfter ? LeakStatus.Detected
                : flowing >= _options.SuspectAfter ? LeakStatus.Suspected
                : LeakStatus.None;
        }

        return Status != before;
    }
}

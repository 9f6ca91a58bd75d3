using Tern.Coap.Transport;

namespace WaterMeter;

/// <summary>Which party of the scenario a transport is for.</summary>
public enum ScenarioRole
{
    /// <summary>The Tern bootstrap server.</summary>
    BootstrapServer,

    /// <summary>The Tern LwM2M server.</summary>
    Server,

    /// <summary>The water meter (the LwM2M client).</summary>
    Client,
}

/// <summary>Opens the datagram transport of one party: loopback UDP in the program, the virtual network in tests.</summary>
public delegate ValueTask<ICoapTransport> ScenarioTransportFactory(ScenarioRole role, CancellationToken cancellationToken);

/// <summary>The timings and names of the scripted scenario; the defaults make a run of a few seconds.</summary>
public sealed record ScenarioSettings
{
    /// <summary>The meter's endpoint name.</summary>
    public string Endpoint { get; init; } = "water-meter-1";

    /// <summary>The short server id the bootstrap server gives the LwM2M server account.</summary>
    public int ShortServerId { get; init; } = 101;

    /// <summary>The registration lifetime the bootstrap server provisions.</summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the meter keeps listening after its last exchange before it sleeps (queue mode).</summary>
    public TimeSpan QueueModeTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest any one step may take before the scenario fails.</summary>
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How many metering values that moved the volume are cached before the meter sends them.</summary>
    public int ReadingsBeforeSend { get; init; } = 3;

    /// <summary>The flow while a tap is open, m³/s (0.2 L/s).</summary>
    public double TapFlow { get; init; } = 0.0002;

    /// <summary>The flow of the leak, m³/s (0.03 L/s): small, but it never stops.</summary>
    public double LeakFlow { get; init; } = 0.00003;

    /// <summary>The simulated meter: fast sampling and short leak thresholds so the story fits in seconds.</summary>
    public MeterSettings Meter { get; init; } = new()
    {
        SamplePeriod = TimeSpan.FromMilliseconds(100),
        ReadingPeriod = TimeSpan.FromMilliseconds(500),
        Leak = new LeakDetectorOptions { SuspectAfter = TimeSpan.FromSeconds(1), DetectAfter = TimeSpan.FromSeconds(1.5) },
    };
}

/// <summary>One step of the scenario as it ran.</summary>
/// <param name="Name">The step, e.g. <c>register</c>.</param>
/// <param name="Succeeded">Whether it did what it should.</param>
/// <param name="Detail">What happened, in one line.</param>
/// <param name="At">When it ended, from the start of the scenario on its clock.</param>
public sealed record ScenarioStep(string Name, bool Succeeded, string Detail, TimeSpan At);

using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Client.DataModel.Objects;
using Tern.Lwm2m.Client.Firmware;

namespace WaterMeter;

/// <summary>How the simulated meter samples, meters and judges leaks.</summary>
public sealed record MeterSettings
{
    /// <summary>How often the pulse input is sampled.</summary>
    public TimeSpan SamplePeriod { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a metering value (volume, pulses, flow range, timestamp) is published.</summary>
    public TimeSpan ReadingPeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Pulse ratio (/3424/0/6): pulses per m³ (10 000 = one pulse per 0.1 L).</summary>
    public long PulsesPerCubicMetre { get; init; } = 10_000;

    /// <summary>Thresholds of the leak detector.</summary>
    public LeakDetectorOptions Leak { get; init; } = new();

    /// <summary>Throws when a setting is unusable.</summary>
    /// <exception cref="ArgumentException">A period is not positive, the reading period is shorter than the sample period, or the ratio is below 1.</exception>
    public void Validate()
    {
        if (SamplePeriod <= TimeSpan.Zero || ReadingPeriod < SamplePeriod || PulsesPerCubicMetre < 1)
        {
            throw new ArgumentException($"Meter settings need SamplePeriod > 0 ({SamplePeriod}), ReadingPeriod >= SamplePeriod ({ReadingPeriod}) and PulsesPerCubicMetre >= 1 ({PulsesPerCubicMetre}).");
        }

        Leak.Validate();
    }
}

/// <summary>
/// The simulated water meter: a client data model with Device (3), Firmware Update (5) and Water meter (3424), and
/// a pulse input driven by <see cref="Flow"/> on the given clock. Every <see cref="MeterSettings.SamplePeriod"/> the
/// flow through the meter becomes pulses; every <see cref="MeterSettings.ReadingPeriod"/> the counters, the flow range
/// and the timestamp are published to /3424/0 in one change, and the leak detector judges the period.
/// </summary>
public sealed class WaterMeterDevice : IAsyncDisposable
{
    private readonly TimeProvider _time;
    private readonly MeterSettings _settings;
    private readonly LeakDetector _leaks;
    private readonly Lock _gate = new();
    private readonly string _firmwareDirectory;
    private ITimer? _timer;
    private double _flow;
    private double _fraction;
    private long _pulses;
    private DateTimeOffset _periodStart;
    private DateTimeOffset _nextReading;
    private double _periodMin = double.PositiveInfinity;
    private double _periodMax = double.NegativeInfinity;
    private bool _backFlow;

    /// <summary>Builds the data model; nothing is sampled until <see cref="Start"/>.</summary>
    /// <param name="endpoint">The endpoint name (the Device object's serial number).</param>
    /// <param name="binding">Supported binding modes for /3/0/16, e.g. <c>U</c>.</param>
    /// <param name="time">The clock of the simulation.</param>
    /// <param name="settings">Sampling, metering and leak thresholds; defaults when null.</param>
    public WaterMeterDevice(string endpoint, string binding, TimeProvider time, MeterSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _settings = settings ?? new MeterSettings();
        _settings.Validate();
        _leaks = new LeakDetector(_settings.Leak);
        _firmwareDirectory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tern-water-meter-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_firmwareDirectory);
        Store = new Lwm2mObjectStore();
        using (Store.Lock())
        {
            Device = new Lwm2mDevice(Store, time)
            {
                Manufacturer = "Tern",
                ModelNumber = "water-meter",
                SerialNumber = endpoint,
                FirmwareVersion = "1.0.0",
                SupportedBindings = binding,
                DeviceType = "water meter",
                BatteryLevel = 95,
            };
            Firmware = FirmwareUpdate.Open(new FirmwareUpdateOptions(_firmwareDirectory), time);
            Store.AddFirmwareUpdate(Firmware);
            Meter = new WaterMeterInstance(Store, _settings.PulsesPerCubicMetre);
        }

        Meter.Reset += (_, _) =>
        {
            lock (_gate)
            {
                _pulses = 0;
                _fraction = 0;
            }
        };
    }

    /// <summary>Raised after each metering value is published (outside any lock).</summary>
    public event EventHandler<MeterReading>? ReadingPublished;

    /// <summary>Raised when the leak detector's conclusion changes (after the flags are set).</summary>
    public event EventHandler<LeakStatus>? LeakStatusChanged;

    /// <summary>The data model the client serves.</summary>
    public Lwm2mObjectStore Store { get; }

    /// <summary>/3/0.</summary>
    public Lwm2mDevice Device { get; }

    /// <summary>/5/0.</summary>
    public FirmwareUpdate Firmware { get; }

    /// <summary>/3424/0.</summary>
    public WaterMeterInstance Meter { get; }

    /// <summary>The flow through the meter now, m³/s; negative is back flow. The simulation's one input.</summary>
    public double Flow
    {
        get { lock (_gate) { return _flow; } }
        set
        {
            if (!double.IsFinite(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The flow must be a finite number of m³/s.");
            }

            lock (_gate)
            {
                _flow = value;
            }
        }
    }

    /// <summary>The leak detector's current conclusion.</summary>
    public LeakStatus LeakStatus { get { lock (_gate) { return _leaks.Status; } } }

    /// <summary>Starts sampling on the clock.</summary>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    public void Start()
    {
        lock (_gate)
        {
            if (_timer is not null)
            {
                throw new InvalidOperationException("The meter is sampling already.");
            }

            _periodStart = _time.GetUtcNow();
            _nextReading = _periodStart + _settings.ReadingPeriod;
            _timer = _time.CreateTimer(_ => Sample(), null, _settings.SamplePeriod, _settings.SamplePeriod);
        }
    }

    /// <summary>Takes one sample of the pulse input now; publishes a metering value when the reading period is over.</summary>
    internal void Sample()
    {
        DateTimeOffset now = _time.GetUtcNow();
        MeterReading? reading = null;
        LeakStatus? changed = null;
        bool backFlow;
        lock (_gate)
        {
            double flow = _flow;
            _periodMin = Math.Min(_periodMin, flow);
            _periodMax = Math.Max(_periodMax, flow);
            if (flow > 0)
            {
                _fraction += flow * _settings.SamplePeriod.TotalSeconds * _settings.PulsesPerCubicMetre;
                long whole = (long)Math.Floor(_fraction);
                _pulses += whole;
                _fraction -= whole;
            }

            _backFlow |= flow < 0;
            backFlow = _backFlow;
            // Half a sample of slack: a timer that fires a little early still closes the period it belongs to.
            if (now + (_settings.SamplePeriod / 2) >= _nextReading)
            {
                reading = new MeterReading(_periodStart, now, _pulses, _periodMin, _periodMax);
                if (_leaks.Observe(_periodStart, now, _periodMin))
                {
                    changed = _leaks.Status;
                }

                _periodStart = now;
                _nextReading += _settings.ReadingPeriod;
                _periodMin = double.PositiveInfinity;
                _periodMax = double.NegativeInfinity;
            }
        }

        if (reading is null)
        {
            return;
        }

        Meter.Publish(reading.Pulses, reading.MinimumFlow, reading.MaximumFlow, reading.End);
        Meter.SetBackFlow(backFlow);
        if (changed is { } status)
        {
            Meter.SetLeak(status);
            LeakStatusChanged?.Invoke(this, status);
        }

        ReadingPublished?.Invoke(this, reading);
    }

    /// <summary>Stops sampling, closes object 5 and removes its scratch directory.</summary>
    public async ValueTask DisposeAsync()
    {
        ITimer? timer;
        lock (_gate)
        {
            timer = _timer;
            _timer = null;
        }

        if (timer is not null)
        {
            await timer.DisposeAsync().ConfigureAwait(false);
        }

        await Firmware.DisposeAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(_firmwareDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A scratch directory left in the temp folder is harmless.
        }
    }
}

/// <summary>One metering value: the period it covers, the pulse count at its end and the flow range within it (m³/s).</summary>
public sealed record MeterReading(DateTimeOffset Start, DateTimeOffset End, long Pulses, double MinimumFlow, double MaximumFlow);

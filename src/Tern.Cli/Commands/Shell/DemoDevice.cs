using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Client.DataModel.Objects;

namespace Tern.Cli.Commands.Shell;

/// <summary>
/// The data model of <c>tern client</c>, like Leshan's demo client: Device (3), Connectivity Monitoring (4),
/// Location (6) and a Temperature sensor (3303) whose value drifts slowly on the client's clock.
/// </summary>
internal sealed class DemoDevice : IDisposable
{
    /// <summary>How often the simulated temperature moves.</summary>
    public static readonly TimeSpan SensorPeriod = TimeSpan.FromSeconds(10);

    private readonly TimeProvider _time;
    private readonly DateTimeOffset _start;
    private readonly ITimer _timer;

    public DemoDevice(string endpoint, string binding, TimeProvider time)
    {
        _time = time;
        _start = time.GetUtcNow();
        Store = new Lwm2mObjectStore();
        using (Store.Lock())
        {
            Device = new Lwm2mDevice(Store, time)
            {
                Manufacturer = "Tern",
                ModelNumber = "tern-client",
                SerialNumber = endpoint,
                FirmwareVersion = typeof(DemoDevice).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
                SupportedBindings = binding.Replace("Q", "", StringComparison.Ordinal),
                DeviceType = "demo",
            };
            _ = new Lwm2mConnectivityMonitoring(Store) { NetworkBearer = 41, RadioSignalStrength = -70, LinkQuality = 80 };
            new Lwm2mLocation(Store, time).Update(48.8584, 2.2945, altitude: 35);
            Sensor = new Lwm2mTemperatureSensor(Store);
            Sensor.SetRange(-40, 85);
            Sensor.Value = Temperature(TimeSpan.Zero);
        }

        _timer = time.CreateTimer(_ => Tick(), null, SensorPeriod, SensorPeriod);
    }

    /// <summary>The store served by the client.</summary>
    public Lwm2mObjectStore Store { get; }

    /// <summary>/3/0.</summary>
    public Lwm2mDevice Device { get; }

    /// <summary>/3303/0.</summary>
    public Lwm2mTemperatureSensor Sensor { get; }

    /// <summary>The simulated reading <paramref name="elapsed"/> after start: 21 °C, ±2 °C over a 10-minute period, 0.1 °C steps.</summary>
    public static double Temperature(TimeSpan elapsed) =>
        Math.Round(21 + (2 * Math.Sin(elapsed.TotalSeconds * 2 * Math.PI / 600)), 1);

    public void Dispose() => _timer.Dispose();

    private void Tick()
    {
        try
        {
            Sensor.Value = Temperature(_time.GetUtcNow() - _start);
        }
        catch (InvalidOperationException)
        {
            // The instance was deleted from the shell; nothing to simulate.
        }
        catch (ArgumentException)
        {
        }
    }
}

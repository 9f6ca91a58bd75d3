using Tern.Coap.Timing;
using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Model;
using R = WaterMeter.WaterMeterResources;

namespace WaterMeter.Tests;

public sealed class WaterMeterDeviceTests
{
    private static readonly MeterSettings Fast = new()
    {
        SamplePeriod = TimeSpan.FromSeconds(1),
        ReadingPeriod = TimeSpan.FromSeconds(10),
        PulsesPerCubicMetre = 10_000,
        Leak = new LeakDetectorOptions { SuspectAfter = TimeSpan.FromSeconds(20), DetectAfter = TimeSpan.FromSeconds(30) },
    };

    private static void Run(VirtualTimeProvider clock, TimeSpan duration)
    {
        DateTimeOffset end = clock.GetUtcNow() + duration;
        while (clock.NextTimerDue is { } due && due <= end)
        {
            clock.AdvanceTo(due);
        }
    }

    [Fact]
    public async Task A_reading_publishes_pulses_volume_flow_range_and_timestamp_from_the_flow()
    {
        var clock = new VirtualTimeProvider();
        await using var device = new WaterMeterDevice("m1", "U", clock, Fast);
        var readings = new List<MeterReading>();
        device.ReadingPublished += (_, r) => readings.Add(r);
        device.Flow = 0.001; // 1 L/s: 10 pulses a second at 10 000 pulses per m³
        device.Start();

        Run(clock, TimeSpan.FromSeconds(10));

        MeterReading reading = Assert.Single(readings);
        Assert.Equal(100, reading.Pulses);
        Assert.Equal(100, device.Meter.Pulses);
        Assert.Equal(0.01, device.Meter.Volume, 9);
        Assert.Equal(0.001, device.Store.GetValue(R.Path(R.MinimumFlowRate)).AsFloat(), 9);
        Assert.Equal(0.001, device.Store.GetValue(R.Path(R.MaximumFlowRate)).AsFloat(), 9);
        Assert.Equal(clock.GetUtcNow(), device.Meter.Timestamp);
    }

    [Fact]
    public async Task Sustained_flow_sets_leak_suspected_then_leak_detected_in_the_store()
    {
        var clock = new VirtualTimeProvider();
        await using var device = new WaterMeterDevice("m1", "U", clock, Fast);
        var statuses = new List<LeakStatus>();
        device.LeakStatusChanged += (_, s) => statuses.Add(s);
        device.Flow = 0.00002;
        device.Start();

        Run(clock, TimeSpan.FromSeconds(20));
        Assert.True(device.Meter.LeakSuspected);
        Assert.False(device.Meter.LeakDetected);
        Run(clock, TimeSpan.FromSeconds(10));

        Assert.True(device.Meter.LeakDetected);
        Assert.Equal([LeakStatus.Suspected, LeakStatus.Detected], statuses);

        device.Flow = 0;
        Run(clock, TimeSpan.FromSeconds(10));
        Assert.False(device.Meter.LeakSuspected);
        Assert.False(device.Meter.LeakDetected);
    }

    [Fact]
    public async Task Back_flow_sets_its_flag_and_counts_no_pulses()
    {
        var clock = new VirtualTimeProvider();
        await using var device = new WaterMeterDevice("m1", "U", clock, Fast);
        device.Flow = -0.001;
        device.Start();

        Run(clock, TimeSpan.FromSeconds(10));

        Assert.True(device.Meter.BackFlowDetected);
        Assert.Equal(0, device.Meter.Pulses);
        Assert.False(device.Meter.LeakDetected);
    }

    [Fact]
    public async Task Executing_the_volume_reset_zeroes_volume_and_pulses_and_counting_starts_over()
    {
        var clock = new VirtualTimeProvider();
        await using var device = new WaterMeterDevice("m1", "U", clock, Fast);
        device.Flow = 0.001;
        device.Start();
        Run(clock, TimeSpan.FromSeconds(10));
        Assert.Equal(100, device.Meter.Pulses);

        Lwm2mStatus status = device.Store.GetHandler(R.ObjectId)!.OnExecute(R.Path(R.ResetVolume), Lwm2mExecuteArguments.Empty);

        Assert.Equal(Lwm2mStatus.Ok, status);
        Assert.Equal(0, device.Meter.Pulses);
        Assert.Equal(0, device.Meter.Volume);
        Run(clock, TimeSpan.FromSeconds(10));
        Assert.Equal(100, device.Meter.Pulses);
    }

    [Fact]
    public async Task The_store_holds_device_firmware_update_and_water_meter_instances()
    {
        await using var device = new WaterMeterDevice("m1", "U", new VirtualTimeProvider(), Fast);

        Assert.True(device.Store.Exists(new Lwm2mPath(3, 0)));
        Assert.True(device.Store.Exists(new Lwm2mPath(5, 0)));
        Assert.True(device.Store.Exists(new Lwm2mPath(R.ObjectId, 0)));
        Assert.Equal("pulse type", device.Store.GetValue(R.Path(R.MeterType)).AsString());
        Assert.Equal(10_000, device.Store.GetValue(R.Path(R.PulseRatio)).AsInteger());
    }

    [Fact]
    public async Task A_flow_that_is_not_a_number_is_refused()
    {
        await using var device = new WaterMeterDevice("m1", "U", new VirtualTimeProvider(), Fast);
        Assert.Throws<ArgumentOutOfRangeException>(() => device.Flow = double.NaN);
    }
}

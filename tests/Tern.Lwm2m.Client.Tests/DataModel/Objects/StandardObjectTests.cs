using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Coap.Timing;
using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Client.DataModel.Objects;
using Tern.Lwm2m.Model;
using static Tern.Lwm2m.Client.Tests.DataModel.TestModel;
using F = Tern.Lwm2m.Formats.Lwm2mContentFormat;

namespace Tern.Lwm2m.Client.Tests.DataModel.Objects;

public class StandardObjectTests
{
    [Fact]
    public void Device_values_the_application_keeps_current_are_readable_by_a_server()
    {
        var store = new Lwm2mObjectStore();
        var device = new Lwm2mDevice(store, new VirtualTimeProvider())
        {
            Manufacturer = "Tern", ModelNumber = "M", SerialNumber = "S-1", FirmwareVersion = "1.2.3", DeviceType = "Smart Device",
            HardwareVersion = "1.0", SoftwareVersion = "LwM2M 0.21.0", BatteryLevel = 64, BatteryStatus = Lwm2mBatteryStatus.Charging,
            MemoryFree = 100, MemoryTotal = 512, UtcOffset = "+01:00", Timezone = "Europe/Paris",
            PowerSources = [new(Lwm2mPowerSourceType.InternalBattery, 3700, 120), new(Lwm2mPowerSourceType.Usb, 5000, 500)],
        };
        device.AddErrorCode(2);
        device.AddErrorCode(5);
        var dispatcher = new Lwm2mRequestDispatcher(store);

        string Read(string path) => dispatcher.Handle(Request(CoapCode.Get, path, accept: F.Text), 101).PayloadText;

        Assert.Equal("Tern", Read("/3/0/0"));
        Assert.Equal("64", Read("/3/0/9"));
        Assert.Equal("1", Read("/3/0/20"));
        Assert.Equal("512", Read("/3/0/21"));
        Assert.Equal("5", Read("/3/0/6/1"));
        Assert.Equal("5000", Read("/3/0/7/1"));
        Assert.Equal("120", Read("/3/0/8/0"));
        Assert.Equal("U", Read("/3/0/16"));
        Assert.Equal([2L, 5L], device.ErrorCodes);
        Assert.Equal(2, device.PowerSources.Count);
        Assert.Equal(Lwm2mPowerSourceType.Usb, device.PowerSources[1].Type);
    }

    [Fact]
    public void Device_reboot_and_factory_reset_go_to_the_application_and_reset_error_code_clears_the_codes()
    {
        var store = new Lwm2mObjectStore();
        var device = new Lwm2mDevice(store);
        var dispatcher = new Lwm2mRequestDispatcher(store);
        int reboots = 0, resets = 0;
        device.AddErrorCode(7);

        CoapResponse noResetHandler = dispatcher.Handle(Request(CoapCode.Post, "/3/0/5"), 101);
        device.RebootRequested += (_, _) => reboots++;
        device.FactoryResetRequested += (_, _) => resets++;
        CoapResponse reboot = dispatcher.Handle(Request(CoapCode.Post, "/3/0/4"), 101);
        CoapResponse reset = dispatcher.Handle(Request(CoapCode.Post, "/3/0/5"), 101);
        CoapResponse clear = dispatcher.Handle(Request(CoapCode.Post, "/3/0/12"), 101);

        Assert.Equal(CoapCode.MethodNotAllowed, noResetHandler.Code);
        Assert.Equal((CoapCode.Changed, CoapCode.Changed, CoapCode.Changed), (reboot.Code, reset.Code, clear.Code));
        Assert.Equal((1, 1), (reboots, resets));
        Assert.Equal([0L], device.ErrorCodes);
    }

    [Fact]
    public void Device_current_time_follows_the_clock_and_a_server_write_moves_it()
    {
        var clock = new VirtualTimeProvider();
        var store = new Lwm2mObjectStore();
        var device = new Lwm2mDevice(store, clock);
        var dispatcher = new Lwm2mRequestDispatcher(store);
        long start = clock.GetUtcNow().ToUnixTimeSeconds();

        clock.Advance(TimeSpan.FromSeconds(100));
        string first = dispatcher.Handle(Request(CoapCode.Get, "/3/0/13", accept: F.Text), 101).PayloadText;
        CoapResponse write = dispatcher.Handle(Text(CoapCode.Put, "/3/0/13", (start + 1000).ToString(System.Globalization.CultureInfo.InvariantCulture), F.Text), 101);
        clock.Advance(TimeSpan.FromSeconds(5));
        string second = dispatcher.Handle(Request(CoapCode.Get, "/3/0/13", accept: F.Text), 101).PayloadText;

        Assert.Equal((start + 100).ToString(System.Globalization.CultureInfo.InvariantCulture), first);
        Assert.Equal(CoapCode.Changed, write.Code);
        Assert.Equal((start + 1005).ToString(System.Globalization.CultureInfo.InvariantCulture), second);
    }

    [Fact]
    public void Location_update_is_one_change_stamped_with_the_clock()
    {
        var clock = new VirtualTimeProvider();
        var store = new Lwm2mObjectStore();
        var location = new Lwm2mLocation(store, clock);
        var events = new List<Lwm2mValuesChangedEventArgs>();
        store.ValuesChanged += (_, e) => events.Add(e);

        location.Update(59.9, 10.75, altitude: 12, speed: 1.5);

        Assert.Equal(["/6/0/0", "/6/0/1", "/6/0/2", "/6/0/5", "/6/0/6"], Assert.Single(events).Paths.Select(p => p.ToString()));
        Assert.Equal((59.9, 10.75, 12.0, 1.5), (location.Latitude, location.Longitude, location.Altitude, location.Speed));
        Assert.Equal(clock.GetUtcNow().ToUnixTimeSeconds(), location.Timestamp!.Value.ToUnixTimeSeconds());
        Assert.Throws<ArgumentOutOfRangeException>(() => location.Update(91, 0));
    }

    [Fact]
    public void Connectivity_monitoring_lists_read_back_as_resource_instances()
    {
        var store = new Lwm2mObjectStore();
        var monitoring = new Lwm2mConnectivityMonitoring(store)
        {
            NetworkBearer = 6, AvailableNetworkBearers = [6, 7], RadioSignalStrength = -90, IpAddresses = ["10.0.0.2", "fe80::1"], Apns = ["iot"], CellId = 4242,
        };
        var dispatcher = new Lwm2mRequestDispatcher(store);

        Assert.Equal("fe80::1", dispatcher.Handle(Request(CoapCode.Get, "/4/0/4/1", accept: F.Text), 101).PayloadText);
        Assert.Equal("-90", dispatcher.Handle(Request(CoapCode.Get, "/4/0/2", accept: F.Text), 101).PayloadText);
        Assert.Equal([6L, 7L], monitoring.AvailableNetworkBearers);
        Assert.Equal(["iot"], monitoring.Apns);
    }

    [Fact]
    public void Connectivity_statistics_count_only_between_start_and_stop()
    {
        var store = new Lwm2mObjectStore();
        var statistics = new Lwm2mConnectivityStatistics(store);
        var dispatcher = new Lwm2mRequestDispatcher(store);

        statistics.RecordSent(5000);
        Assert.Equal(CoapCode.Changed, dispatcher.Handle(Request(CoapCode.Post, "/7/0/6"), 101).Code);
        statistics.RecordSent(2048);
        statistics.RecordReceived(3072);
        Assert.Equal(CoapCode.Changed, dispatcher.Handle(Request(CoapCode.Post, "/7/0/7"), 101).Code);
        statistics.RecordReceived(9000);

        Assert.Equal(2, statistics.TxDataKilobytes);
        Assert.Equal(3, statistics.RxDataKilobytes);
        Assert.Equal("3072", dispatcher.Handle(Request(CoapCode.Get, "/7/0/4", accept: F.Text), 101).PayloadText);
        Assert.Equal("2560", dispatcher.Handle(Request(CoapCode.Get, "/7/0/5", accept: F.Text), 101).PayloadText);
        Assert.False(statistics.IsCollecting);
    }

    [Fact]
    public void Temperature_tracks_min_and_max_until_a_server_resets_them()
    {
        var store = new Lwm2mObjectStore();
        var sensor = new Lwm2mTemperatureSensor(store, 0) { Value = 20 };
        var other = new Lwm2mTemperatureSensor(store, 1) { Value = 5 };
        var dispatcher = new Lwm2mRequestDispatcher(store);
        sensor.Value = 25;
        sensor.Value = 18;

        Assert.Equal((18.0, 25.0), (sensor.MinMeasured, sensor.MaxMeasured));
        Assert.Equal(CoapCode.Changed, dispatcher.Handle(Request(CoapCode.Post, "/3303/0/5605"), 101).Code);
        Assert.Equal((18.0, 18.0), (sensor.MinMeasured, sensor.MaxMeasured));
        Assert.Equal((5.0, 5.0), (other.MinMeasured, other.MaxMeasured));
        Assert.Equal("Cel", store.GetValue(Lwm2mPath.Parse("/3303/1/5701")).AsString());
    }
}

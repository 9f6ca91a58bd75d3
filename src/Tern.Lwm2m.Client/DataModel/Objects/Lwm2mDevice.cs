using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.DataModel.Objects;

/// <summary>Battery Status (/3/0/20).</summary>
public enum Lwm2mBatteryStatus
{
    /// <summary>Normal: the battery is operating normally and not on power.</summary>
    Normal = 0,
    /// <summary>Charging.</summary>
    Charging = 1,
    /// <summary>Charge complete.</summary>
    ChargeComplete = 2,
    /// <summary>Damaged.</summary>
    Damaged = 3,
    /// <summary>Low battery.</summary>
    Low = 4,
    /// <summary>Not installed.</summary>
    NotInstalled = 5,
    /// <summary>Unknown.</summary>
    Unknown = 6,
}

/// <summary>Available Power Sources (/3/0/6) values.</summary>
public enum Lwm2mPowerSourceType
{
    /// <summary>DC power.</summary>
    DcPower = 0,
    /// <summary>Internal battery.</summary>
    InternalBattery = 1,
    /// <summary>External battery.</summary>
    ExternalBattery = 2,
    /// <summary>Fuel cell.</summary>
    FuelCell = 3,
    /// <summary>Power over Ethernet.</summary>
    PowerOverEthernet = 4,
    /// <summary>USB.</summary>
    Usb = 5,
    /// <summary>AC (mains) power.</summary>
    AcPower = 6,
    /// <summary>Solar.</summary>
    Solar = 7,
}

/// <summary>One power source with its voltage (mV, /3/0/7) and current (mA, /3/0/8).</summary>
/// <param name="Type">The kind of source.</param>
/// <param name="VoltageMillivolts">Its voltage.</param>
/// <param name="CurrentMilliamps">Its current.</param>
public sealed record Lwm2mPowerSource(Lwm2mPowerSourceType Type, long VoltageMillivolts, long CurrentMilliamps);

/// <summary>
/// The Device object (3), instance 0, with the values seed 002 says the application keeps current. Reboot (/3/0/4)
/// and Factory Reset (/3/0/5) are handed to the application through <see cref="RebootRequested"/> and
/// <see cref="FactoryResetRequested"/>; they are raised before the 2.04 goes out, so act on them after a moment
/// (post the work to your own queue) or the server never hears the answer. Current Time (/3/0/13) is read from the
/// clock on every read; a server writing it moves the clock offset the device reports.
/// </summary>
public sealed class Lwm2mDevice : Lwm2mInstanceView, ILwm2mObjectHandler
{
    private readonly TimeProvider _time;
    private TimeSpan _clockOffset;

    /// <summary>Declares /3/0 in <paramref name="store"/> (with Error Code 0 and binding U) and handles its executes.</summary>
    /// <param name="store">The store.</param>
    /// <param name="time">The clock Current Time is read from; <see cref="TimeProvider.System"/> when null.</param>
    public Lwm2mDevice(Lwm2mObjectStore store, TimeProvider? time = null)
        : base(store, 3, 0)
    {
        _time = time ?? TimeProvider.System;
        using (store.Lock())
        {
            store.SetHandler(3, this);
            if (GetMany(11).Count == 0)
            {
                ClearErrorCodes();
            }

            SupportedBindings ??= "U";
            SetTime(13, _time.GetUtcNow());
        }
    }

    /// <summary>The server executed Reboot (/3/0/4).</summary>
    public event EventHandler? RebootRequested;

    /// <summary>The server executed Factory Reset (/3/0/5).</summary>
    public event EventHandler? FactoryResetRequested;

    /// <summary>/3/0/0.</summary>
    public string? Manufacturer { get => GetString(0); set => SetString(0, value); }

    /// <summary>/3/0/1.</summary>
    public string? ModelNumber { get => GetString(1); set => SetString(1, value); }

    /// <summary>/3/0/2.</summary>
    public string? SerialNumber { get => GetString(2); set => SetString(2, value); }

    /// <summary>/3/0/3.</summary>
    public string? FirmwareVersion { get => GetString(3); set => SetString(3, value); }

    /// <summary>/3/0/9, 0–100 %.</summary>
    public int? BatteryLevel
    {
        get => (int?)GetInteger(9);
        set => SetInteger(9, value is null or (>= 0 and <= 100) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Battery level is 0–100 %."));
    }

    /// <summary>/3/0/20.</summary>
    public Lwm2mBatteryStatus? BatteryStatus { get => (Lwm2mBatteryStatus?)GetInteger(20); set => SetInteger(20, (long?)value); }

    /// <summary>/3/0/10, KB.</summary>
    public long? MemoryFree { get => GetInteger(10); set => SetInteger(10, value); }

    /// <summary>/3/0/21, KB.</summary>
    public long? MemoryTotal { get => GetInteger(21); set => SetInteger(21, value); }

    /// <summary>/3/0/14, e.g. <c>+02:00</c>.</summary>
    public string? UtcOffset { get => GetString(14); set => SetString(14, value); }

    /// <summary>/3/0/15, e.g. <c>Europe/Berlin</c>.</summary>
    public string? Timezone { get => GetString(15); set => SetString(15, value); }

    /// <summary>/3/0/16, e.g. <c>UQ</c>.</summary>
    public string? SupportedBindings { get => GetString(16); set => SetString(16, value); }

    /// <summary>/3/0/17 (seed 002: "Smart Device" when the application sets none).</summary>
    public string? DeviceType { get => GetString(17); set => SetString(17, value); }

    /// <summary>/3/0/18.</summary>
    public string? HardwareVersion { get => GetString(18); set => SetString(18, value); }

    /// <summary>/3/0/19.</summary>
    public string? SoftwareVersion { get => GetString(19); set => SetString(19, value); }

    /// <summary>The device's current time as reported (/3/0/13): the clock plus what a server's write moved it by.</summary>
    public DateTimeOffset CurrentTime => _time.GetUtcNow() + _clockOffset;

    /// <summary>/3/0/11: the active error codes (0 when there is none).</summary>
    public IReadOnlyList<long> ErrorCodes => [.. GetMany(11).Select(v => v.AsInteger())];

    /// <summary>/3/0/6, 7 and 8: the power sources, set together (in one change).</summary>
    public IReadOnlyList<Lwm2mPowerSource> PowerSources
    {
        get
        {
            IReadOnlyList<Lwm2mValue> types = GetMany(6), volts = GetMany(7), amps = GetMany(8);
            return [.. types.Select((t, k) => new Lwm2mPowerSource((Lwm2mPowerSourceType)t.AsInteger(),
                k < volts.Count ? volts[k].AsInteger() : 0, k < amps.Count ? amps[k].AsInteger() : 0))];
        }

        set
        {
            ArgumentNullException.ThrowIfNull(value);
            using (Store.Lock())
            {
                SetMany(6, value.Select(p => Lwm2mValue.FromInteger((long)p.Type)));
                SetMany(7, value.Select(p => Lwm2mValue.FromInteger(p.VoltageMillivolts)));
                SetMany(8, value.Select(p => Lwm2mValue.FromInteger(p.CurrentMilliamps)));
            }
        }
    }

    /// <summary>Adds an error code (1–32) to /3/0/11, replacing the "no error" 0.</summary>
    public void AddErrorCode(int code)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(code, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(code, 32);
        using (Store.Lock())
        {
            var codes = ErrorCodes.Where(c => c != 0 && c != code).Append(code).Select(c => Lwm2mValue.FromInteger(c));
            SetMany(11, codes);
        }
    }

    /// <summary>Clears /3/0/11 back to the single "no error" 0 (what Reset Error Code, /3/0/12, does).</summary>
    public void ClearErrorCodes() => SetMany(11, [Lwm2mValue.FromInteger(0)]);

    Lwm2mStatus ILwm2mObjectHandler.OnRead(Lwm2mPath path)
    {
        if (path.ResourceId is null or 13)
        {
            SetTime(13, CurrentTime);
        }

        return Lwm2mStatus.Ok;
    }

    Lwm2mStatus ILwm2mObjectHandler.OnWrite(Lwm2mPath resourcePath, Lwm2mResource resource, bool fromBootstrapServer)
    {
        if (resourcePath.ResourceId == 13 && resource is Lwm2mSingleResource { Value.Type: Lwm2mResourceType.Time } time)
        {
            _clockOffset = time.Value.AsTime() - _time.GetUtcNow();
        }

        return Lwm2mStatus.Ok;
    }

    Lwm2mStatus ILwm2mObjectHandler.OnExecute(Lwm2mPath resourcePath, Lwm2mExecuteArguments arguments)
    {
        switch (resourcePath.ResourceId)
        {
            case 4:
                RebootRequested?.Invoke(this, EventArgs.Empty);
                return Lwm2mStatus.Ok;
            case 5:
                return FactoryResetRequested is { } reset ? Invoke(reset) : Lwm2mStatus.MethodNotAllowed;
            case 12:
                ClearErrorCodes();
                return Lwm2mStatus.Ok;
            default:
                return Lwm2mStatus.MethodNotAllowed;
        }
    }

    Lwm2mStatus ILwm2mObjectHandler.OnDelete(int instanceId) => Lwm2mStatus.MethodNotAllowed;

    private Lwm2mStatus Invoke(EventHandler handler)
    {
        handler(this, EventArgs.Empty);
        return Lwm2mStatus.Ok;
    }
}

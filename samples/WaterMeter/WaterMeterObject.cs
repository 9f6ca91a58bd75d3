using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Client.DataModel.Objects;
using Tern.Lwm2m.Model;

namespace WaterMeter;

/// <summary>
/// Resource ids of object 3424, Water meter (uCIFI, OMA registry 3424.xml, object version 1.1). Tern knows the
/// definition itself (<c>BuiltInObjects.WaterMeter</c>); these names are what the sample uses.
/// </summary>
public static class WaterMeterResources
{
    /// <summary>The object id.</summary>
    public const int ObjectId = 3424;

    /// <summary>Cumulated water volume, Float, m³ since the last reset (R, mandatory).</summary>
    public const int CumulatedVolume = 1;

    /// <summary>Cumulated water meter value reset (E).</summary>
    public const int ResetVolume = 2;

    /// <summary>Type of meter, String (RW).</summary>
    public const int MeterType = 3;

    /// <summary>Cumulated pulse value, Integer (R).</summary>
    public const int CumulatedPulses = 4;

    /// <summary>Cumulated pulse value reset (E).</summary>
    public const int ResetPulses = 5;

    /// <summary>Pulse ratio, Integer (RW): here, pulses per m³.</summary>
    public const int PulseRatio = 6;

    /// <summary>Minimum flow rate since the last metering value, Float, m³/s (R).</summary>
    public const int MinimumFlowRate = 7;

    /// <summary>Maximum flow rate since the last metering value, Float, m³/s (R).</summary>
    public const int MaximumFlowRate = 8;

    /// <summary>Leak suspected, Boolean (R).</summary>
    public const int LeakSuspected = 9;

    /// <summary>Leak detected, Boolean (R).</summary>
    public const int LeakDetected = 10;

    /// <summary>Back flow detected, Boolean (R).</summary>
    public const int BackFlowDetected = 11;

    /// <summary>Blocked meter, Boolean (R).</summary>
    public const int BlockedMeter = 12;

    /// <summary>Fraud detected, Boolean (R).</summary>
    public const int FraudDetected = 13;

    /// <summary>Timestamp of the measurement, Time (R).</summary>
    public const int Timestamp = 5518;

    /// <summary>The path of a resource of instance 0.</summary>
    public static Lwm2mPath Path(int resourceId) => new(ObjectId, 0, resourceId);
}

/// <summary>
/// One Water meter (3424) instance in a client's store, seen through typed properties. A server's Execute of
/// Cumulated water meter value reset (2) or Cumulated pulse value reset (5) zeroes both the volume and the pulse count,
/// as the Nordic water-meter sample does; <see cref="Reset"/> tells the simulation.
/// </summary>
public sealed class WaterMeterInstance : Lwm2mInstanceView
{
    /// <summary>Declares /3424/<paramref name="instanceId"/> with its fixed resources.</summary>
    /// <param name="store">The client's store.</param>
    /// <param name="pulsesPerCubicMetre">Pulse ratio (6).</param>
    /// <param name="instanceId">The instance id.</param>
    public WaterMeterInstance(Lwm2mObjectStore store, long pulsesPerCubicMetre, int instanceId = 0)
        : base(store, WaterMeterResources.ObjectId, instanceId)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pulsesPerCubicMetre, 1);
        using (store.Lock())
        {
            store.SetHandler(WaterMeterResources.ObjectId, new ResetHandler(this));
            SetString(WaterMeterResources.MeterType, "pulse type");
            SetInteger(WaterMeterResources.PulseRatio, pulsesPerCubicMetre);
            SetFloat(WaterMeterResources.CumulatedVolume, 0);
            SetInteger(WaterMeterResources.CumulatedPulses, 0);
            SetFloat(WaterMeterResources.MinimumFlowRate, 0);
            SetFloat(WaterMeterResources.MaximumFlowRate, 0);
            foreach (int flag in (int[])[WaterMeterResources.LeakSuspected, WaterMeterResources.LeakDetected, WaterMeterResources.BackFlowDetected,
                WaterMeterResources.BlockedMeter, WaterMeterResources.FraudDetected])
            {
                Set(flag, Lwm2mValue.FromBoolean(false));
            }
        }
    }

    /// <summary>Raised after a server executed one of the reset resources (the store is already zeroed).</summary>
    public event EventHandler? Reset;

    /// <summary>Cumulated water volume (1), m³.</summary>
    public double Volume => GetFloat(WaterMeterResources.CumulatedVolume) ?? 0;

    /// <summary>Cumulated pulse value (4).</summary>
    public long Pulses => GetInteger(WaterMeterResources.CumulatedPulses) ?? 0;

    /// <summary>Pulse ratio (6), pulses per m³; a server may write it.</summary>
    public long PulsesPerCubicMetre => Math.Max(1, GetInteger(WaterMeterResources.PulseRatio) ?? 1);

    /// <summary>Leak detected (10).</summary>
    public bool LeakDetected => GetBoolean(WaterMeterResources.LeakDetected);

    /// <summary>Leak suspected (9).</summary>
    public bool LeakSuspected => GetBoolean(WaterMeterResources.LeakSuspected);

    /// <summary>Back flow detected (11).</summary>
    public bool BackFlowDetected => GetBoolean(WaterMeterResources.BackFlowDetected);

    /// <summary>When the last metering value was taken (5518), or null before the first.</summary>
    public DateTimeOffset? Timestamp => GetTime(WaterMeterResources.Timestamp);

    /// <summary>Publishes one metering value: the counters, the flow range of the period and its end time, in one change.</summary>
    public void Publish(long pulses, double minimumFlow, double maximumFlow, DateTimeOffset at)
    {
        using (Store.Lock())
        {
            SetInteger(WaterMeterResources.CumulatedPulses, pulses);
            SetFloat(WaterMeterResources.CumulatedVolume, (double)pulses / PulsesPerCubicMetre);
            SetFloat(WaterMeterResources.MinimumFlowRate, minimumFlow);
            SetFloat(WaterMeterResources.MaximumFlowRate, maximumFlow);
            SetTime(WaterMeterResources.Timestamp, at);
        }
    }

    /// <summary>Sets the leak flags (9, 10) from the detector's conclusion; unchanged flags raise no change.</summary>
    public void SetLeak(LeakStatus status)
    {
        using (Store.Lock())
        {
            SetFlag(WaterMeterResources.LeakSuspected, status != LeakStatus.None);
            SetFlag(WaterMeterResources.LeakDetected, status == LeakStatus.Detected);
        }
    }

    /// <summary>Sets Back flow detected (11).</summary>
    public void SetBackFlow(bool detected) => SetFlag(WaterMeterResources.BackFlowDetected, detected);

    private bool GetBoolean(int rid) => Get(rid) is { Type: Lwm2mResourceType.Boolean } v && v.AsBoolean();

    private void SetFlag(int rid, bool value)
    {
        if (GetBoolean(rid) != value || Get(rid) is null)
        {
            Set(rid, Lwm2mValue.FromBoolean(value));
        }
    }

    private void ZeroCounters()
    {
        using (Store.Lock())
        {
            SetInteger(WaterMeterResources.CumulatedPulses, 0);
            SetFloat(WaterMeterResources.CumulatedVolume, 0);
        }

        Reset?.Invoke(this, EventArgs.Empty);
    }

    private sealed class ResetHandler(WaterMeterInstance meter) : ILwm2mObjectHandler
    {
        public Lwm2mStatus OnExecute(Lwm2mPath resourcePath, Lwm2mExecuteArguments arguments)
        {
            if (resourcePath.InstanceId == meter.Path.InstanceId
                && resourcePath.ResourceId is WaterMeterResources.ResetVolume or WaterMeterResources.ResetPulses)
            {
                meter.ZeroCounters();
            }

            return Lwm2mStatus.Ok;
        }
    }
}

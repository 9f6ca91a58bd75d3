using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.DataModel.Objects;

/// <summary>
/// One IPSO Temperature (3303) instance. <see cref="Value"/> updates Sensor Value (5700) and the min/max measured
/// values (5601, 5602) in one change; a server's Reset Min and Max (5605) starts them over from the current value.
/// </summary>
public sealed class Lwm2mTemperatureSensor : Lwm2mInstanceView
{
    /// <summary>Declares /3303/<paramref name="instanceId"/> in <paramref name="store"/>.</summary>
    /// <param name="store">The store.</param>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="units">Sensor Units (5701), e.g. <c>Cel</c>.</param>
    public Lwm2mTemperatureSensor(Lwm2mObjectStore store, int instanceId = 0, string units = "Cel")
        : base(store, 3303, instanceId)
    {
        using (store.Lock())
        {
            if (store.GetHandler(3303) is null)
            {
                store.SetHandler(3303, new ResetHandler(store));
            }

            SetString(5701, units);
        }
    }

    /// <summary>Sensor Value (5700); setting it also moves Min/Max Measured Value.</summary>
    public double? Value
    {
        get => GetFloat(5700);
        set
        {
            if (value is not { } v)
            {
                throw new ArgumentNullException(nameof(value), "A sensor value is required; the reading cannot be removed.");
            }

            using (Store.Lock())
            {
                SetFloat(5700, v);
                SetFloat(5601, Math.Min(GetFloat(5601) ?? v, v));
                SetFloat(5602, Math.Max(GetFloat(5602) ?? v, v));
            }
        }
    }

    /// <summary>Min Measured Value (5601).</summary>
    public double? MinMeasured => GetFloat(5601);

    /// <summary>Max Measured Value (5602).</summary>
    public double? MaxMeasured => GetFloat(5602);

    /// <summary>Min/Max Range Value (5603, 5604): what the sensor can measure.</summary>
    public void SetRange(double min, double max)
    {
        using (Store.Lock())
        {
            SetFloat(5603, min);
            SetFloat(5604, max);
        }
    }

    /// <summary>Resets 5601 and 5602 of every sensor instance to its current value when 5605 is executed.</summary>
    private sealed class ResetHandler(Lwm2mObjectStore store) : ILwm2mObjectHandler
    {
        public Lwm2mStatus OnExecute(Lwm2mPath resourcePath, Lwm2mExecuteArguments arguments)
        {
            if (resourcePath.ResourceId != 5605)
            {
                return Lwm2mStatus.MethodNotAllowed;
            }

            Lwm2mPath instance = resourcePath.Parent;
            using (store.Lock())
            {
                if (store.TryGetValue(instance.Append(5700), out Lwm2mValue current))
                {
                    store.SetValue(instance.Append(5601), current);
                    store.SetValue(instance.Append(5602), current);
                }
                else
                {
                    store.RemoveValue(instance.Append(5601));
                    store.RemoveValue(instance.Append(5602));
                }
            }

            return Lwm2mStatus.Ok;
        }
    }
}

namespace Tern.Lwm2m.Client.DataModel.Objects;

/// <summary>The Location object (6), instance 0.</summary>
public sealed class Lwm2mLocation : Lwm2mInstanceView
{
    private readonly TimeProvider _time;

    /// <summary>Declares /6/0 in <paramref name="store"/>.</summary>
    /// <param name="store">The store.</param>
    /// <param name="time">The clock that stamps <see cref="Update"/>; <see cref="TimeProvider.System"/> when null.</param>
    public Lwm2mLocation(Lwm2mObjectStore store, TimeProvider? time = null)
        : base(store, 6, 0)
    {
        _time = time ?? TimeProvider.System;
    }

    /// <summary>/6/0/0, degrees.</summary>
    public double? Latitude => GetFloat(0);

    /// <summary>/6/0/1, degrees.</summary>
    public double? Longitude => GetFloat(1);

    /// <summary>/6/0/2, metres.</summary>
    public double? Altitude => GetFloat(2);

    /// <summary>/6/0/3, metres.</summary>
    public double? Radius => GetFloat(3);

    /// <summary>/6/0/5.</summary>
    public DateTimeOffset? Timestamp => GetTime(5);

    /// <summary>/6/0/6, m/s.</summary>
    public double? Speed => GetFloat(6);

    /// <summary>Sets a new fix in one change, stamped with the current time (/6/0/5).</summary>
    public void Update(double latitude, double longitude, double? altitude = null, double? radius = null, double? speed = null)
    {
        if (latitude is < -90 or > 90 || longitude is < -180 or > 180)
        {
            throw new ArgumentOutOfRangeException(nameof(latitude), "Latitude is -90..90 and longitude -180..180 degrees.");
        }

        using (Store.Lock())
        {
            SetFloat(0, latitude);
            SetFloat(1, longitude);
            SetFloat(2, altitude);
            SetFloat(3, radius);
            SetFloat(6, speed);
            SetTime(5, _time.GetUtcNow());
        }
    }
}

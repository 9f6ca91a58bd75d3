using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.DataModel.Objects;

/// <summary>The Connectivity Monitoring object (4), instance 0: bearer, signal and addresses, kept current by the application.</summary>
public sealed class Lwm2mConnectivityMonitoring : Lwm2mInstanceView
{
    /// <summary>Declares /4/0 in <paramref name="store"/>.</summary>
    public Lwm2mConnectivityMonitoring(Lwm2mObjectStore store)
        : base(store, 4, 0)
    {
    }

    /// <summary>/4/0/0, e.g. 6 for LTE-FDD, 41 for Ethernet (the TS table).</summary>
    public long? NetworkBearer { get => GetInteger(0); set => SetInteger(0, value); }

    /// <summary>/4/0/1.</summary>
    public IReadOnlyList<long> AvailableNetworkBearers
    {
        get => [.. GetMany(1).Select(v => v.AsInteger())];
        set => SetMany(1, (value ?? throw new ArgumentNullException(nameof(value))).Select(Lwm2mValue.FromInteger));
    }

    /// <summary>/4/0/2, dBm.</summary>
    public long? RadioSignalStrength { get => GetInteger(2); set => SetInteger(2, value); }

    /// <summary>/4/0/3.</summary>
    public long? LinkQuality { get => GetInteger(3); set => SetInteger(3, value); }

    /// <summary>/4/0/4.</summary>
    public IReadOnlyList<string> IpAddresses
    {
        get => [.. GetMany(4).Select(v => v.AsString())];
        set => SetMany(4, (value ?? throw new ArgumentNullException(nameof(value))).Select(Lwm2mValue.FromString));
    }

    /// <summary>/4/0/5.</summary>
    public IReadOnlyList<string> RouterIpAddresses
    {
        get => [.. GetMany(5).Select(v => v.AsString())];
        set => SetMany(5, (value ?? throw new ArgumentNullException(nameof(value))).Select(Lwm2mValue.FromString));
    }

    /// <summary>/4/0/6, 0–100 %.</summary>
    public long? LinkUtilization { get => GetInteger(6); set => SetInteger(6, value); }

    /// <summary>/4/0/7.</summary>
    public IReadOnlyList<string> Apns
    {
        get => [.. GetMany(7).Select(v => v.AsString())];
        set => SetMany(7, (value ?? throw new ArgumentNullException(nameof(value))).Select(Lwm2mValue.FromString));
    }

    /// <summary>/4/0/8.</summary>
    public long? CellId { get => GetInteger(8); set => SetInteger(8, value); }

    /// <summary>/4/0/9.</summary>
    public long? Smnc { get => GetInteger(9); set => SetInteger(9, value); }

    /// <summary>/4/0/10.</summary>
    public long? Smcc { get => GetInteger(10); set => SetInteger(10, value); }
}

using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.Firmware;

public sealed partial class FirmwareUpdate
{
    /// <summary>The resources of /5/0 this implementation serves, for discovery and Read of the instance.</summary>
    public static IReadOnlyList<ushort> ResourceIds { get; } = [0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13];

    /// <summary>
    /// Reads a resource as the dispatcher encodes it: 1, 3, 5, 6, 7, 9, 11, 12, 13 give one value each; 8 gives
    /// one value per protocol; 0 (write-only), 2 and 10 (executable) and unknown IDs give false.
    /// </summary>
    /// <param name="resourceId">The resource ID.</param>
    /// <param name="values">The value(s); for 8 one per resource instance, numbered from 0.</param>
    public bool TryRead(ushort resourceId, out IReadOnlyList<Lwm2mValue> values)
    {
        FirmwareUpdateSnapshot s;
        lock (_gate)
        {
            s = _machine.Snapshot;
        }

        values = resourceId switch
        {
            1 => [Lwm2mValue.FromString(s.PackageUri)],
            3 => [Lwm2mValue.FromInteger((int)s.State)],
            5 => [Lwm2mValue.FromInteger((int)s.Result)],
            6 => [Lwm2mValue.FromString(s.PackageName)],
            7 => [Lwm2mValue.FromString(s.PackageVersion)],
            8 => [.. ProtocolSupport.Select(p => Lwm2mValue.FromInteger((int)p))],
            9 => [Lwm2mValue.FromInteger((int)_options.DeliveryMethod)],
            11 => [Lwm2mValue.FromInteger((int)s.Severity)],
            12 => [Lwm2mValue.FromTime(s.LastStateChange ?? DateTimeOffset.UnixEpoch)],
            13 => [Lwm2mValue.FromUnsignedInteger((ulong)s.MaximumDeferPeriod.TotalSeconds)],
            _ => [],
        };
        return values.Count > 0 || resourceId == 8;
    }
}

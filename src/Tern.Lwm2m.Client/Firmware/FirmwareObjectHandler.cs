using Tern.Coap.Messages;
using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.Firmware;

/// <summary>
/// Object 5 (Firmware Update) in a <see cref="Lwm2mObjectStore"/>, backed by a <see cref="FirmwareUpdate"/> (see the seam
/// table in docs/firmware-update.md): the store holds /5/0 with the values <see cref="FirmwareUpdate.TryRead"/> gives and
/// follows <see cref="FirmwareUpdate.ResourcesChanged"/> (so observers of State and Update Result hear of later changes);
/// Writes of /5/0/0, /5/0/1, /5/0/11 and /5/0/13 and Executes of /5/0/2 and /5/0/10 are handed to the firmware update.
/// A Package written in one request (the CoAP endpoint reassembling a block-wise transfer) is one
/// <see cref="FirmwareUpdate.WritePackageBlock(long, ReadOnlySpan{byte}, bool)"/> call at offset 0; when the endpoint
/// passes /5/0/0 blocks through (<see cref="IsPackageBlock"/>), the client hands each block straight to the firmware
/// update instead (see <see cref="WritePackageBlock(FirmwareUpdate, CoapMessage)"/>).
/// </summary>
public static partial class Lwm2mFirmwareObject
{
    /// <summary>Declares object 5 with instance 0 in <paramref name="store"/>, served by <paramref name="firmware"/>.</summary>
    /// <param name="store">The client's data model.</param>
    /// <param name="firmware">The firmware update that owns the resources.</param>
    public static void AddFirmwareUpdate(this Lwm2mObjectStore store, FirmwareUpdate firmware)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(firmware);
        var handler = new Handler(firmware);
        store.AddObject(5, handler);
        store.CreateInstance(5, 0);
        PushTargets.AddOrUpdate(store, firmware);
        Refresh(store, firmware, FirmwareUpdate.ResourceIds);
        firmware.ResourcesChanged += (_, e) => Refresh(store, firmware, e.ResourceIds);
    }

    /// <summary>Copies the readable values of <paramref name="resourceIds"/> into the store (raising its value-change events).</summary>
    private static void Refresh(Lwm2mObjectStore store, FirmwareUpdate firmware, IReadOnlyList<ushort> resourceIds)
    {
        foreach (ushort rid in resourceIds)
        {
            if (!firmware.TryRead(rid, out IReadOnlyList<Lwm2mValue> values))
            {
                continue;
            }

            var path = new Lwm2mPath(5, 0, rid);
            if (rid == 8)
            {
                store.SetValues(path, values.Select((v, i) => (i, v)).ToDictionary(p => p.i, p => p.v));
            }
            else if (values.Count > 0)
            {
                store.SetValue(path, values[0]);
            }
        }
    }

    private static Lwm2mStatus ToStatus(FirmwareOperationStatus status) => status switch
    {
        FirmwareOperationStatus.Changed or FirmwareOperationStatus.Continue => Lwm2mStatus.Ok,
        FirmwareOperationStatus.MethodNotAllowed => Lwm2mStatus.MethodNotAllowed,
        FirmwareOperationStatus.InternalError => Lwm2mStatus.InternalError,
        _ => Lwm2mStatus.BadRequest,
    };

    private sealed class Handler(FirmwareUpdate firmware) : ILwm2mObjectHandler
    {
        public Lwm2mStatus OnWrite(Lwm2mPath resourcePath, Lwm2mResource resource, bool fromBootstrapServer)
        {
            if (resource is not Lwm2mSingleResource single)
            {
                return Lwm2mStatus.Ok;
            }

            Lwm2mValue value = single.Value;
            return resourcePath.ResourceId switch
            {
                0 when value.Type == Lwm2mResourceType.Opaque => ToStatus(firmware.WritePackageBlock(0, value.AsOpaque(), more: false)),
                1 when value.Type == Lwm2mResourceType.String => ToStatus(firmware.WritePackageUri(value.AsString())),
                11 when value.Type == Lwm2mResourceType.Integer => ToStatus(firmware.WriteSeverity(value.AsInteger())),
                13 when value.Type == Lwm2mResourceType.UnsignedInteger => ToStatus(firmware.WriteMaximumDeferPeriod(value.AsUnsignedInteger())),
                0 or 1 or 11 or 13 => Lwm2mStatus.BadRequest,
                _ => Lwm2mStatus.Ok,
            };
        }

        public Lwm2mStatus OnExecute(Lwm2mPath resourcePath, Lwm2mExecuteArguments arguments) => resourcePath.ResourceId switch
        {
            2 => ToStatus(firmware.ExecuteUpdate()),
            10 => ToStatus(firmware.ExecuteCancel()),
            _ => Lwm2mStatus.Ok,
        };
    }
}

using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.DataModel;

/// <summary>
/// Access control for LwM2M servers (TS Core §7.3.3): with more than one server configured, each operation on an
/// object instance needs the matching right in its Access Control instance; the bootstrap server is never checked.
/// <list type="table">
/// <item><term>Read, Observe, Discover, Write-Attributes</term><description>R (1)</description></item>
/// <item><term>Write (replace, partial update, Write-Composite), Delete of a resource instance</term><description>W (2)</description></item>
/// <item><term>Execute</term><description>E (4)</description></item>
/// <item><term>Delete of an instance</term><description>D (8)</description></item>
/// <item><term>Create</term><description>C (16) in the Access Control instance of (object, 65535)</description></item>
/// </list>
/// A missing right is 4.01 Unauthorized. An operation on a whole object (Read, Observe, Discover of /o, Read-Composite
/// of / or /o) covers only the instances the server may read; the others are left out as if absent. The Access Control
/// object itself carries no Access Control instances: any server may read it, only an instance's owner may write it,
/// and only the client (on Create and Delete) and the bootstrap server create or delete its instances.
/// </summary>
public sealed partial class Lwm2mRequestDispatcher
{
    private Lwm2mAccessControl? _accessControl;

    /// <summary>The access rules read from the store's Access Control object (2).</summary>
    public Lwm2mAccessControl AccessControl => _accessControl ??= new Lwm2mAccessControl(_store);

    /// <summary>
    /// Checks, without performing it, whether LwM2M server <paramref name="shortServerId"/> may perform
    /// <paramref name="request"/>: the refusal (4.01, or 4.00 for a path that is not an LwM2M path), or null when the
    /// request may go on. <see cref="Handle"/> checks every request this way; call it for a request you serve
    /// elsewhere (the client serves Write-Attributes and Observe through its reporter).
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="shortServerId">The requesting LwM2M server.</param>
    public CoapResponse? CheckAccess(CoapMessage request, int shortServerId)
    {
        ArgumentNullException.ThrowIfNull(request);
        return TryGetPath(request, out Lwm2mPath path)
            ? Authorize(request, path, shortServerId)
            : Error(CoapCode.BadRequest, $"'{request.UriPath}' is not an LwM2M path.");
    }

    /// <summary>The rights one request needs, checked before the operation runs; object-level reads are filtered later.</summary>
    private CoapResponse? Authorize(CoapMessage request, Lwm2mPath path, int ssid)
    {
        if (path.IsRoot)
        {
            return null; // Composite operations are checked path by path.
        }

        if (ReservedGuard(path) is { } reserved)
        {
            return reserved;
        }

        if (!AccessControl.IsEnforced)
        {
            return null;
        }

        Lwm2mAccessRights needed = Needed(request, path);
        if (path.ObjectId == Lwm2mAccessControl.ObjectId)
        {
            return AuthorizeAccessControlObject(path, needed, ssid);
        }

        if (needed == Lwm2mAccessRights.Create)
        {
            return Has(ssid, path.ObjectId!.Value, Lwm2mAccessControl.ObjectLevel, needed) ? null
                : Error(CoapCode.Unauthorized, $"Server {ssid} may not create instances of object {path.ObjectId}.");
        }

        if (path.Level == Lwm2mPathLevel.Object || needed == Lwm2mAccessRights.None)
        {
            return null;
        }

        // An instance that does not exist is answered 4.04 by the operation itself.
        var instance = new Lwm2mPath(path.ObjectId!.Value, path.InstanceId);
        return !_store.Exists(instance) || Has(ssid, instance.ObjectId!.Value, instance.InstanceId!.Value, needed) ? null
            : Error(CoapCode.Unauthorized, $"Server {ssid} has no {needed} right on {instance}.");
    }

    /// <summary>The right a request needs, from the same routing as <see cref="HandleServer"/>.</summary>
    private Lwm2mAccessRights Needed(CoapMessage request, Lwm2mPath path)
    {
        CoapCode method = request.Code;
        if (method == CoapCode.Get || method == CoapCode.Fetch)
        {
            return Lwm2mAccessRights.Read;
        }

        if (method == CoapCode.Put)
        {
            return request.ContentFormat is null ? Lwm2mAccessRights.Read : Lwm2mAccessRights.Write;
        }

        if (method == CoapCode.Post)
        {
            return path.Level switch
            {
                Lwm2mPathLevel.Object => Lwm2mAccessRights.Create,
                Lwm2mPathLevel.Resource when IsExecutable(path) || request.ContentFormat is null => Lwm2mAccessRights.Execute,
                _ => Lwm2mAccessRights.Write,
            };
        }

        if (method == CoapCode.Delete)
        {
            return path.Level == Lwm2mPathLevel.ResourceInstance ? Lwm2mAccessRights.Write : Lwm2mAccessRights.Delete;
        }

        return method == CoapCode.IPatch ? Lwm2mAccessRights.Write : Lwm2mAccessRights.None;
    }

    /// <summary>Object 2: readable by every server; an instance writable by its owner only; created and deleted by the client.</summary>
    private CoapResponse? AuthorizeAccessControlObject(Lwm2mPath path, Lwm2mAccessRights needed, int ssid)
    {
        switch (needed)
        {
            case Lwm2mAccessRights.Read or Lwm2mAccessRights.None:
                return null;
            case Lwm2mAccessRights.Write when path.Level >= Lwm2mPathLevel.ObjectInstance:
                if (!_store.Exists(new Lwm2mPath(Lwm2mAccessControl.ObjectId, path.InstanceId)))
                {
                    return null;
                }

                return AccessControl.Read(path.InstanceId!.Value) is { } acl && acl.Owner == ssid && ssid is not (0 or Lwm2mAccessControl.BootstrapOwner)
                    ? null
                    : Error(CoapCode.Unauthorized, $"Only the owner of /2/{path.InstanceId} may change it.");
            default:
                return Error(CoapCode.Unauthorized, "Access Control instances are created and deleted by the client and the bootstrap server.");
        }
    }

    private bool Has(int ssid, int objectId, int instanceId, Lwm2mAccessRights needed) =>
        (AccessControl.RightsFromAcl(ssid, objectId, instanceId) & needed) == needed;

    /// <summary>True when server <paramref name="ssid"/> may read /o/i (always when access control is off, or for object 2).</summary>
    private bool CanRead(int ssid, bool enforced, int objectId, int instanceId) =>
        !enforced || objectId == Lwm2mAccessControl.ObjectId || Has(ssid, objectId, instanceId, Lwm2mAccessRights.Read);

    /// <summary>An object node without the instances server <paramref name="ssid"/> may not read; other nodes as they are.</summary>
    private Lwm2mNode VisibleTo(int ssid, Lwm2mNode node) => AccessControl.VisibleTo(ssid, node);

    /// <summary>
    /// What only the bootstrap server may touch: the Security object (0) and the OSCORE object (21), which hold keys.
    /// </summary>
    private static CoapResponse? ReservedGuard(Lwm2mPath path) =>
        path.ObjectId is 0 or OscoreObjectId ? Error(CoapCode.Unauthorized, $"Object {path.ObjectId} is reserved to the bootstrap server.") : null;

    /// <summary>The OSCORE object (21): like Security, for the bootstrap server only.</summary>
    private const int OscoreObjectId = 21;

    /// <summary>After a server's Create: the client makes that server the owner of a new Access Control instance for each new instance.</summary>
    private void GrantOwnership(int ssid, int objectId, IEnumerable<int> instanceIds)
    {
        if (ssid is <= 0 or >= Lwm2mAccessControl.BootstrapOwner || objectId == Lwm2mAccessControl.ObjectId || !_store.HasObject(Lwm2mAccessControl.ObjectId))
        {
            return;
        }

        foreach (int instanceId in instanceIds)
        {
            _store.RemoveAccessControl(objectId, instanceId);
            _store.AddAccessControl((ushort)objectId, (ushort)instanceId, (ushort)ssid);
        }
    }
}

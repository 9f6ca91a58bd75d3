using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.DataModel;

/// <summary>
/// Reads the Access Control object (2) of a store and answers which rights an LwM2M server holds on an object
/// instance (LwM2M TS Core §7.3.3, object 2's definition):
/// <list type="bullet">
/// <item>Access control applies only when more than one LwM2M server is configured (more than one Server (1)
/// instance); with one server, that server has every right (<see cref="IsEnforced"/>).</item>
/// <item>Each object instance has one Access Control instance naming it by /2/x/0 (object id) and /2/x/1 (instance
/// id); instance id 65535 names the object itself and governs Create.</item>
/// <item>The rights of server <c>ssid</c> are the ACL resource instance /2/x/2/ssid; without one, the Access Control
/// Owner (/2/x/3) has every right, and any other server has the default entry /2/x/2/0 or nothing.</item>
/// </list>
/// Odd data written into object 2 (values of the wrong type, missing resources) never throws: an instance without a
/// usable object id or instance id is ignored, an ACL entry that is not an integer grants nothing, bits above the
/// five the TS defines are dropped. When two instances name the same object instance, the lowest-numbered one counts.
/// </summary>
public sealed class Lwm2mAccessControl
{
    /// <summary>The object id of Access Control.</summary>
    public const int ObjectId = 2;

    /// <summary>The instance id (/2/x/1) that stands for the object itself, whose ACL governs Create.</summary>
    public const int ObjectLevel = ushort.MaxValue;

    /// <summary>The owner (/2/x/3) meaning "managed by the bootstrap server only".</summary>
    public const int BootstrapOwner = ushort.MaxValue;

    /// <summary>Every right an owner holds on an object instance.</summary>
    public const Lwm2mAccessRights All = Lwm2mAccessRights.Read | Lwm2mAccessRights.Write | Lwm2mAccessRights.Execute
        | Lwm2mAccessRights.Delete | Lwm2mAccessRights.Create;

    private readonly Lwm2mObjectStore _store;

    /// <summary>Reads access control from <paramref name="store"/>.</summary>
    /// <param name="store">The data model.</param>
    public Lwm2mAccessControl(Lwm2mObjectStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>True when rights are checked: the store holds more than one Server (1) instance.</summary>
    public bool IsEnforced => _store.GetInstanceIds(1).Count > 1;

    /// <summary>
    /// The rights of server <paramref name="shortServerId"/> on /<paramref name="objectId"/>/<paramref name="instanceId"/>
    /// (instance 65535 for Create). Every right when access control is not enforced; none when no Access Control
    /// instance names the target.
    /// </summary>
    /// <param name="shortServerId">The requesting server.</param>
    /// <param name="objectId">The object.</param>
    /// <param name="instanceId">The instance, or <see cref="ObjectLevel"/>.</param>
    public Lwm2mAccessRights GetRights(int shortServerId, int objectId, int instanceId) =>
        IsEnforced ? RightsFromAcl(shortServerId, objectId, instanceId) : All;

    /// <summary>The rights the Access Control instance of the target grants, enforced or not (see <see cref="GetRights"/>).</summary>
    /// <param name="shortServerId">The requesting server.</param>
    /// <param name="objectId">The object.</param>
    /// <param name="instanceId">The instance, or <see cref="ObjectLevel"/>.</param>
    public Lwm2mAccessRights RightsFromAcl(int shortServerId, int objectId, int instanceId)
    {
        if (Find(objectId, instanceId) is not { } acl)
        {
            return IsOwnServerInstance(shortServerId, objectId, instanceId) ? OwnServerInstance : Lwm2mAccessRights.None;
        }

        Lwm2mAccessRights? own = null;
        Lwm2mAccessRights? fallback = null;
        foreach (Lwm2mAclEntry entry in acl.Acl)
        {
            if (entry.ShortServerId == shortServerId && shortServerId != 0)
            {
                own = entry.Rights;
            }
            else if (entry.ShortServerId == 0)
            {
                fallback = entry.Rights;
            }
        }

        if (own is { } rights)
        {
            return rights;
        }

        return acl.Owner == shortServerId && shortServerId is not (0 or BootstrapOwner) ? All : fallback ?? Lwm2mAccessRights.None;
    }

    /// <summary>
    /// What a server may do on its own Server (1) instance when no Access Control instance names it: read, write and
    /// execute (Disable, Registration Update Trigger, Bootstrap-Request Trigger), as it could with one server; not delete.
    /// </summary>
    private const Lwm2mAccessRights OwnServerInstance = Lwm2mAccessRights.Read | Lwm2mAccessRights.Write | Lwm2mAccessRights.Execute;

    /// <summary>Whether /1/<paramref name="instanceId"/> is the account of <paramref name="shortServerId"/> (its /1/x/0).</summary>
    private bool IsOwnServerInstance(int shortServerId, int objectId, int instanceId) =>
        objectId == 1 && shortServerId != 0 && instanceId != ObjectLevel
        && _store.TryGetValue(new Lwm2mPath(1, instanceId, 0), out Lwm2mValue ssid) && Integer(ssid) == shortServerId;

    /// <summary>
    /// An object node without the instances server <paramref name="shortServerId"/> may not read (what a Read,
    /// Observe or notification of the whole object shows it); any other node, object 2, or a node when access control
    /// is not enforced, as it is.
    /// </summary>
    /// <param name="shortServerId">The server the node is for.</param>
    /// <param name="node">The node read from the store.</param>
    public Lwm2mNode VisibleTo(int shortServerId, Lwm2mNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node is not Lwm2mObject o || o.Id == ObjectId || !IsEnforced)
        {
            return node;
        }

        List<Lwm2mObjectInstance>? kept = null;
        for (int i = 0; i < o.Instances.Count; i++)
        {
            bool readable = (RightsFromAcl(shortServerId, o.Id, o.Instances[i].Id) & Lwm2mAccessRights.Read) != 0;
            if (!readable && kept is null)
            {
                kept = [.. o.Instances.Take(i)];
            }
            else if (readable)
            {
                kept?.Add(o.Instances[i]);
            }
        }

        return kept is null ? node : o with { Instances = kept };
    }

    /// <summary>The Access Control instance that names /<paramref name="objectId"/>/<paramref name="instanceId"/>, or null.</summary>
    /// <param name="objectId">The object.</param>
    /// <param name="instanceId">The instance, or <see cref="ObjectLevel"/>.</param>
    public Lwm2mAccessControlInstance? Find(int objectId, int instanceId)
    {
        if (!_store.HasObject(ObjectId))
        {
            return null;
        }

        foreach (int id in _store.GetInstanceIds(ObjectId))
        {
            if (Read(id) is { } acl && acl.ObjectId == objectId && acl.ObjectInstanceId == instanceId)
            {
                return acl;
            }
        }

        return null;
    }

    /// <summary>Every usable Access Control instance, by ascending instance id.</summary>
    public IReadOnlyList<Lwm2mAccessControlInstance> GetInstances()
    {
        var all = new List<Lwm2mAccessControlInstance>();
        if (_store.HasObject(ObjectId))
        {
            foreach (int id in _store.GetInstanceIds(ObjectId))
            {
                if (Read(id) is { } acl)
                {
                    all.Add(acl);
                }
            }
        }

        return all;
    }

    /// <summary>
    /// Reads /2/<paramref name="instanceId"/> leniently: null when it does not exist or its object id or instance id
    /// is missing, not an integer, or out of range. A missing owner reads as 0 (no server owns it).
    /// </summary>
    /// <param name="instanceId">The Access Control instance.</param>
    public Lwm2mAccessControlInstance? Read(int instanceId)
    {
        if (_store.GetNode(new Lwm2mPath(ObjectId, instanceId)) is not Lwm2mObjectInstance instance)
        {
            return null;
        }

        long? objectId = null, targetId = null, owner = null;
        List<Lwm2mAclEntry>? entries = null;
        foreach (Lwm2mResource resource in instance.Resources)
        {
            switch (resource)
            {
                case Lwm2mSingleResource { Id: 0 } single:
                    objectId = Integer(single.Value);
                    break;
                case Lwm2mSingleResource { Id: 1 } single:
                    targetId = Integer(single.Value);
                    break;
                case Lwm2mSingleResource { Id: 3 } single:
                    owner = Integer(single.Value);
                    break;
                case Lwm2mMultipleResource { Id: 2 } acl:
                    entries = [];
                    foreach (Lwm2mResourceInstance entry in acl.Instances)
                    {
                        if (entry.Id is >= 0 and <= ushort.MaxValue && Integer(entry.Value) is { } bits && bits >= 0)
                        {
                            entries.Add(new Lwm2mAclEntry((ushort)entry.Id, (Lwm2mAccessRights)(bits & (long)All)));
                        }
                    }

                    break;
            }
        }

        if (objectId is not (>= 0 and <= ushort.MaxValue) || targetId is not (>= 0 and <= ushort.MaxValue))
        {
            return null;
        }

        ushort ownerId = owner is >= 0 and <= ushort.MaxValue ? (ushort)owner.Value : (ushort)0;
        return new Lwm2mAccessControlInstance((ushort)instanceId, (ushort)objectId.Value, (ushort)targetId.Value, ownerId) { Acl = entries ?? [] };
    }

    private static long? Integer(Lwm2mValue value) => value.Type switch
    {
        Lwm2mResourceType.Integer => value.AsInteger(),
        Lwm2mResourceType.UnsignedInteger => value.AsUnsignedInteger() > long.MaxValue ? null : (long)value.AsUnsignedInteger(),
        _ => null,
    };
}

using Tern.Lwm2m.Client.Configuration;

namespace Tern.Lwm2m.Client.DataModel;

/// <summary>Declaring Access Control (2) instances from code.</summary>
public sealed partial class Lwm2mObjectStore
{
    /// <summary>
    /// Creates or replaces the Access Control instance /2/<see cref="Lwm2mAccessControlInstance.InstanceId"/>,
    /// declaring object 2 when needed. For example, to let server 2 only read the Device instance that server 1 owns:
    /// <c>store.SetAccessControl(new(0, 3, 0, 1) { Acl = [new(2, Lwm2mAccessRights.Read)] })</c>.
    /// </summary>
    /// <param name="accessControl">The instance.</param>
    /// <exception cref="ArgumentException">An ACL entry holds bits other than the five rights.</exception>
    public void SetAccessControl(Lwm2mAccessControlInstance accessControl)
    {
        ArgumentNullException.ThrowIfNull(accessControl);
        foreach (Lwm2mAclEntry entry in accessControl.Acl)
        {
            if ((entry.Rights & ~Lwm2mAccessControl.All) != 0)
            {
                throw new ArgumentException($"ACL entry {entry.ShortServerId} holds {(int)entry.Rights}; rights are made of the bits 1, 2, 4, 8 and 16.", nameof(accessControl));
            }
        }

        using (Lock())
        {
            if (!HasObject(Lwm2mAccessControl.ObjectId))
            {
                AddObject(Lwm2mAccessControl.ObjectId);
            }

            DeleteInstance(Lwm2mAccessControl.ObjectId, accessControl.InstanceId);
            CreateInstance(Lwm2mAccessControl.ObjectId, accessControl.InstanceId, AccessControlResources(accessControl));
        }
    }

    /// <summary>
    /// Adds an Access Control instance for /<paramref name="objectId"/>/<paramref name="objectInstanceId"/> (65535 for
    /// Create on the object) under the lowest free instance id of object 2, declaring object 2 when needed.
    /// </summary>
    /// <param name="objectId">The object the rights apply to.</param>
    /// <param name="objectInstanceId">The instance the rights apply to, or 65535 for the object (Create).</param>
    /// <param name="owner">The short server id of the owner; 65535 when only the bootstrap server manages it.</param>
    /// <param name="acl">The ACL entries (short server id 0 is the default entry).</param>
    /// <returns>The new Access Control instance id.</returns>
    public int AddAccessControl(ushort objectId, ushort objectInstanceId, ushort owner, params Lwm2mAclEntry[] acl)
    {
        ArgumentNullException.ThrowIfNull(acl);
        using (Lock())
        {
            if (!HasObject(Lwm2mAccessControl.ObjectId))
            {
                AddObject(Lwm2mAccessControl.ObjectId);
            }

            IReadOnlyList<int> used = GetInstanceIds(Lwm2mAccessControl.ObjectId);
            int id = 0;
            while (used.Contains(id))
            {
                id++;
            }

            SetAccessControl(new Lwm2mAccessControlInstance((ushort)id, objectId, objectInstanceId, owner) { Acl = acl });
            return id;
        }
    }

    /// <summary>Deletes the Access Control instances naming /<paramref name="objectId"/>/<paramref name="objectInstanceId"/>; how many there were.</summary>
    /// <param name="objectId">The object.</param>
    /// <param name="objectInstanceId">The instance.</param>
    public int RemoveAccessControl(int objectId, int objectInstanceId)
    {
        using (Lock())
        {
            if (!HasObject(Lwm2mAccessControl.ObjectId))
            {
                return 0;
            }

            var reader = new Lwm2mAccessControl(this);
            int removed = 0;
            foreach (int id in GetInstanceIds(Lwm2mAccessControl.ObjectId))
            {
                if (reader.Read(id) is { } acl && acl.ObjectId == objectId && acl.ObjectInstanceId == objectInstanceId)
                {
                    DeleteInstance(Lwm2mAccessControl.ObjectId, id);
                    removed++;
                }
            }

            return removed;
        }
    }
}

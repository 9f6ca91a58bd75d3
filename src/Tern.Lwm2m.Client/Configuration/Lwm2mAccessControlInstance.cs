namespace Tern.Lwm2m.Client.Configuration;

/// <summary>The access rights bits of an ACL entry (/2/x/2/ssid).</summary>
[Flags]
public enum Lwm2mAccessRights
{
    /// <summary>No access.</summary>
    None = 0,

    /// <summary>Read, Observe, Discover, Write-Attributes (1).</summary>
    Read = 1,

    /// <summary>Write (2).</summary>
    Write = 2,

    /// <summary>Execute (4).</summary>
    Execute = 4,

    /// <summary>Delete (8).</summary>
    Delete = 8,

    /// <summary>Create (16).</summary>
    Create = 16,
}

/// <summary>One ACL entry: the rights of one server (0 for the default entry).</summary>
/// <param name="ShortServerId">The server the rights apply to; 0 means every server without an entry of its own.</param>
/// <param name="Rights">The rights.</param>
public sealed record Lwm2mAclEntry(ushort ShortServerId, Lwm2mAccessRights Rights);

/// <summary>
/// One instance of the LwM2M Access Control object (2): which servers may do what on one object instance.
/// </summary>
/// <param name="InstanceId">The object instance id (/2/x).</param>
/// <param name="ObjectId">/2/x/0, the object the rights apply to.</param>
/// <param name="ObjectInstanceId">/2/x/1, the instance the rights apply to (65535 for the object itself, i.e. Create).</param>
/// <param name="Owner">/2/x/3, the short server id of the owner (65535 when the bootstrap server created it).</param>
public sealed record Lwm2mAccessControlInstance(ushort InstanceId, ushort ObjectId, ushort ObjectInstanceId, ushort Owner)
{
    /// <summary>/2/x/2, the ACL entries.</summary>
    public IReadOnlyList<Lwm2mAclEntry> Acl { get; init; } = [];

    /// <summary>Value equality over the ACL entries as well (records compare lists by reference).</summary>
    /// <param name="other">The other instance.</param>
    public bool Equals(Lwm2mAccessControlInstance? other) =>
        other is not null && InstanceId == other.InstanceId && ObjectId == other.ObjectId && ObjectInstanceId == other.ObjectInstanceId
        && Owner == other.Owner && Acl.SequenceEqual(other.Acl);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(InstanceId, ObjectId, ObjectInstanceId, Owner, Acl.Count);
}

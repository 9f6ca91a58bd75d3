namespace Tern.Lwm2m.Client.Engine;

/// <summary>One object the client advertises in Register and Update: its id, version and instances.</summary>
/// <param name="ObjectId">The object id.</param>
/// <param name="Version">The object version (e.g. <c>1.1</c>), or null for the default 1.0.</param>
/// <param name="InstanceIds">The instances that exist.</param>
public sealed record Lwm2mObjectAdvert(ushort ObjectId, string? Version, IReadOnlyList<ushort> InstanceIds)
{
    /// <summary>Value equality over the instance list as well (records compare lists by reference).</summary>
    /// <param name="other">The other advert.</param>
    public bool Equals(Lwm2mObjectAdvert? other) =>
        other is not null && ObjectId == other.ObjectId && Version == other.Version && InstanceIds.SequenceEqual(other.InstanceIds);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(ObjectId, Version, InstanceIds.Count);
}

using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Definitions;

/// <summary>What a server may do with a resource (the DDF <c>Operations</c> element).</summary>
[Flags]
public enum Lwm2mOperations
{
    /// <summary>No operation (DDF: empty).</summary>
    None = 0,
    /// <summary>R.</summary>
    Read = 1,
    /// <summary>W.</summary>
    Write = 2,
    /// <summary>RW.</summary>
    ReadWrite = Read | Write,
    /// <summary>E.</summary>
    Execute = 4,
}

/// <summary>The definition of one resource within an object (from a DDF <c>Item</c>).</summary>
/// <param name="Id">The resource id.</param>
/// <param name="Name">The resource name.</param>
/// <param name="Operations">R, W, RW, E or none.</param>
/// <param name="Multiple">True for a multiple-instance resource.</param>
/// <param name="Mandatory">True when the resource is mandatory.</param>
/// <param name="Type">The data type.</param>
/// <param name="RangeEnumeration">The DDF range or enumeration text, or empty.</param>
/// <param name="Units">The DDF units text, or empty.</param>
/// <param name="Description">The DDF description.</param>
public sealed record ResourceDefinition(
    int Id,
    string Name,
    Lwm2mOperations Operations,
    bool Multiple,
    bool Mandatory,
    Lwm2mResourceType Type,
    string RangeEnumeration = "",
    string Units = "",
    string Description = "");

/// <summary>The definition of an LwM2M object (from a DDF <c>Object</c>).</summary>
/// <param name="Id">The object id.</param>
/// <param name="Name">The object name.</param>
/// <param name="Version">The object version, "1.0" when the DDF gives none.</param>
/// <param name="Lwm2mVersion">The LwM2M version the object targets, "1.0" when the DDF gives none.</param>
/// <param name="Multiple">True when the object may have several instances.</param>
/// <param name="Mandatory">True when every client must have the object.</param>
/// <param name="Urn">The object URN.</param>
/// <param name="Resources">The resources by id.</param>
/// <param name="Description">The DDF description.</param>
public sealed record ObjectDefinition(
    int Id,
    string Name,
    string Version,
    string Lwm2mVersion,
    bool Multiple,
    bool Mandatory,
    string Urn,
    IReadOnlyDictionary<int, ResourceDefinition> Resources,
    string Description = "")
{
    /// <summary>The resource's definition, or null when the object has no such resource.</summary>
    public ResourceDefinition? GetResource(int id) => Resources.TryGetValue(id, out ResourceDefinition? r) ? r : null;

    /// <summary>Value equality, comparing the resources by content rather than by dictionary reference.</summary>
    public bool Equals(ObjectDefinition? other) =>
        other is not null
        && Id == other.Id && Name == other.Name && Version == other.Version && Lwm2mVersion == other.Lwm2mVersion
        && Multiple == other.Multiple && Mandatory == other.Mandatory && Urn == other.Urn && Description == other.Description
        && Resources.Count == other.Resources.Count
        && Resources.All(kv => other.Resources.TryGetValue(kv.Key, out ResourceDefinition? r) && kv.Value == r);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, Name, Version, Resources.Count);
}

/// <summary>Looks up object definitions by id. Decoders use it to learn resource types.</summary>
public interface IObjectDefinitionProvider
{
    /// <summary>The object's definition, or null when unknown.</summary>
    ObjectDefinition? GetObject(int objectId);
}

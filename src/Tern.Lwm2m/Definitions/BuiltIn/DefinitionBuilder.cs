using System.Collections.ObjectModel;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Definitions.BuiltIn;

/// <summary>Short names that let a built-in definition read like a row of the registry's resource table.</summary>
internal static class DefinitionBuilder
{
    public const Lwm2mOperations R = Lwm2mOperations.Read;
    public const Lwm2mOperations W = Lwm2mOperations.Write;
    public const Lwm2mOperations RW = Lwm2mOperations.ReadWrite;
    public const Lwm2mOperations E = Lwm2mOperations.Execute;
    public const Lwm2mOperations NoOps = Lwm2mOperations.None;

    // "One"/"Many" stand for the registry's Single/Multiple (Single would clash with System.Single).
    public const bool One = false;
    public const bool Many = true;
    public const bool Optional = false;
    public const bool Mandatory = true;

    public static ResourceDefinition Res(int id, string name, Lwm2mOperations operations, bool multiple, bool mandatory,
        Lwm2mResourceType type, string range = "", string units = "") =>
        new(id, name, operations, multiple, mandatory, type, range, units);

    public static ObjectDefinition Define(int id, string name, string version, string lwm2mVersion, bool multiple, bool mandatory, string urn,
        ResourceDefinition[] resources)
    {
        var byId = new Dictionary<int, ResourceDefinition>(resources.Length);
        foreach (ResourceDefinition r in resources)
        {
            if (!byId.TryAdd(r.Id, r))
            {
                throw new InvalidOperationException($"Built-in object {id} lists resource {r.Id} twice.");
            }
        }

        return new ObjectDefinition(id, name, version, lwm2mVersion, multiple, mandatory, urn, new ReadOnlyDictionary<int, ResourceDefinition>(byId));
    }
}

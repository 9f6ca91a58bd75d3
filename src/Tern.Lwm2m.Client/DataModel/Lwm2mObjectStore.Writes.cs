using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.DataModel;

/// <summary>How a write combines new resources with what an instance holds.</summary>
internal enum StoreWriteMode
{
    /// <summary>Replace (PUT) on an instance: the given resources replace the instance's writable ones; writable optional resources not given are removed.</summary>
    ReplaceInstance,

    /// <summary>Replace each given resource whole (PUT on a resource, Bootstrap-Write); others stay.</summary>
    ReplaceResources,

    /// <summary>Partial update (POST, Write-Composite): given resources are set, instances of multiple resources merged.</summary>
    Merge,
}

/// <summary>Operations the request dispatcher applies after it has checked a request.</summary>
public sealed partial class Lwm2mObjectStore
{
    /// <summary>
    /// Under the lock (taken here; callers may hold it for several writes): writes resources into an instance,
    /// creating the instance when <paramref name="create"/>. False when the object is not declared, or the instance
    /// is missing and may not be created.
    /// </summary>
    internal bool ApplyWrite(int objectId, int instanceId, IReadOnlyList<Lwm2mResource> resources, StoreWriteMode mode, bool create)
    {
        using (Lock())
        {
            if (!_objects.TryGetValue(objectId, out ObjectEntry? entry))
            {
                return false;
            }

            if (!entry.Instances.TryGetValue(instanceId, out SortedDictionary<int, Lwm2mResource>? instance))
            {
                if (!create)
                {
                    return false;
                }

                instance = [];
                entry.Instances[instanceId] = instance;
                NoteInstance(new Lwm2mPath(objectId, instanceId), created: true);
            }

            var path = new Lwm2mPath(objectId, instanceId);
            if (mode == StoreWriteMode.ReplaceInstance)
            {
                foreach (int rid in instance.Keys.ToList())
                {
                    ResourceDefinition? rd = entry.Definition.GetResource(rid);
                    if (rd is { Mandatory: false } && rd.Operations.HasFlag(Lwm2mOperations.Write) && !resources.Any(r => r.Id == rid))
                    {
                        instance.Remove(rid);
                        NoteChange(path.Append(rid));
                    }
                }
            }

            foreach (Lwm2mResource resource in resources)
            {
                Lwm2mResource next = resource;
                if (mode == StoreWriteMode.Merge && resource is Lwm2mMultipleResource given
                    && instance.TryGetValue(resource.Id, out Lwm2mResource? old) && old is Lwm2mMultipleResource existing)
                {
                    var merged = existing.Instances.Where(i => !given.Instances.Any(g => g.Id == i.Id)).Concat(given.Instances).OrderBy(i => i.Id).ToList();
                    next = given with { Instances = merged };
                }

                if (!instance.TryGetValue(resource.Id, out Lwm2mResource? current) || !current.Equals(next))
                {
                    instance[resource.Id] = next;
                    NoteChange(path.Append(resource.Id));
                }
            }

            return true;
        }
    }

    /// <summary>Deletes instances of an object, keeping those <paramref name="keep"/> selects; the ids deleted.</summary>
    internal IReadOnlyList<int> DeleteInstances(int objectId, Func<int, bool> keep)
    {
        using (Lock())
        {
            if (!_objects.TryGetValue(objectId, out ObjectEntry? entry))
            {
                return [];
            }

            var deleted = entry.Instances.Keys.Where(i => !keep(i)).ToList();
            foreach (int id in deleted)
            {
                DeleteInstance(objectId, id);
            }

            return deleted;
        }
    }

    /// <summary>A definition provider that answers with the store's own definitions first, for decoders.</summary>
    internal IObjectDefinitionProvider Model => _model ??= new StoreModel(this);

    private StoreModel? _model;

    private sealed class StoreModel(Lwm2mObjectStore store) : IObjectDefinitionProvider
    {
        public ObjectDefinition? GetObject(int objectId) => store.GetDefinition(objectId) ?? store.Definitions.GetObject(objectId);
    }
}

using System.Collections.Immutable;
using Tern.Lwm2m.Definitions.BuiltIn;
using Tern.Lwm2m.Definitions.Ddf;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Definitions;

/// <summary>
/// The object definitions a client or server knows: the built-ins plus any added or loaded from DDF files.
/// A later definition for the same object id replaces the earlier one (so a newer DDF overrides a
/// built-in); <see cref="Add"/> returns what it replaced. Reads are lock-free and safe from any thread
/// while another thread adds: each read sees a complete snapshot.
/// </summary>
public sealed class ObjectDefinitionRegistry : IObjectDefinitionProvider
{
    private readonly Lock _writeLock = new();
    private ImmutableDictionary<int, ObjectDefinition> _objects = ImmutableDictionary<int, ObjectDefinition>.Empty;

    /// <summary>Creates a registry holding the built-in definitions, or nothing.</summary>
    /// <param name="includeBuiltIns">True to start with <see cref="BuiltInObjects.All"/>.</param>
    public ObjectDefinitionRegistry(bool includeBuiltIns = true)
    {
        if (includeBuiltIns)
        {
            AddRange(BuiltInObjects.All);
        }
    }

    /// <summary>How many objects are defined.</summary>
    public int Count => Volatile.Read(ref _objects).Count;

    /// <summary>A snapshot of every definition, in ascending object id.</summary>
    public IReadOnlyList<ObjectDefinition> Objects => Volatile.Read(ref _objects).Values.OrderBy(o => o.Id).ToList();

    /// <inheritdoc />
    public ObjectDefinition? GetObject(int objectId) =>
        Volatile.Read(ref _objects).TryGetValue(objectId, out ObjectDefinition? definition) ? definition : null;

    /// <summary>True when the object is defined.</summary>
    public bool Contains(int objectId) => Volatile.Read(ref _objects).ContainsKey(objectId);

    /// <summary>Adds a definition, replacing any earlier one with the same id.</summary>
    /// <returns>The definition it replaced, or null.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The id is outside 0–65534.</exception>
    public ObjectDefinition? Add(ObjectDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        Check(definition);
        lock (_writeLock)
        {
            _objects.TryGetValue(definition.Id, out ObjectDefinition? previous);
            Volatile.Write(ref _objects, _objects.SetItem(definition.Id, definition));
            return previous;
        }
    }

    /// <summary>Adds several definitions at once; readers see all of them or none. Later ones win on equal ids.</summary>
    public void AddRange(IEnumerable<ObjectDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        List<ObjectDefinition> list = definitions.ToList();
        list.ForEach(Check);
        lock (_writeLock)
        {
            ImmutableDictionary<int, ObjectDefinition>.Builder builder = _objects.ToBuilder();
            foreach (ObjectDefinition definition in list)
            {
                builder[definition.Id] = definition;
            }

            Volatile.Write(ref _objects, builder.ToImmutable());
        }
    }

    /// <summary>Removes a definition.</summary>
    /// <returns>True when it was there.</returns>
    public bool Remove(int objectId)
    {
        lock (_writeLock)
        {
            ImmutableDictionary<int, ObjectDefinition> next = _objects.Remove(objectId);
            bool removed = !ReferenceEquals(next, _objects);
            Volatile.Write(ref _objects, next);
            return removed;
        }
    }

    /// <summary>Loads a DDF file and, when it loads, adds its objects. Errors come back in the result.</summary>
    public DdfLoadResult LoadFile(string path, DdfObjectLoader? loader = null)
    {
        DdfLoadResult result = (loader ?? DdfObjectLoader.Default).LoadFile(path);
        AddRange(result.Objects);
        return result;
    }

    /// <summary>Loads every DDF file of a directory and adds the objects of the files that loaded.</summary>
    public DdfDirectoryLoadResult LoadDirectory(string directory, DdfObjectLoader? loader = null)
    {
        DdfDirectoryLoadResult result = (loader ?? DdfObjectLoader.Default).LoadDirectory(directory);
        AddRange(result.Objects);
        return result;
    }

    private static void Check(ObjectDefinition definition)
    {
        if ((uint)definition.Id > Lwm2mPath.MaxId)
        {
            throw new ArgumentOutOfRangeException(nameof(definition), definition.Id, "Object ids are 0–65534; 65535 is reserved.");
        }
    }
}

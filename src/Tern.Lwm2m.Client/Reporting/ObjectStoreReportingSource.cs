using System.Diagnostics.CodeAnalysis;
using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.Reporting;

/// <summary>Lets the reporter read the client's data model: current values and declared resource types.</summary>
/// <param name="store">The data model the client serves.</param>
public sealed class ObjectStoreReportingSource(Lwm2mObjectStore store) : IReportingDataSource
{
    private readonly Lwm2mObjectStore _store = store ?? throw new ArgumentNullException(nameof(store));

    /// <inheritdoc/>
    public bool TryRead(Lwm2mPath path, [NotNullWhen(true)] out Lwm2mNode? node)
    {
        node = path.IsRoot ? null : _store.GetNode(path);
        return node is not null;
    }

    /// <inheritdoc/>
    public bool TryGetResourceType(Lwm2mPath path, out Lwm2mResourceType type)
    {
        type = Lwm2mResourceType.None;
        if (path.ObjectId is not { } objectId || path.ResourceId is not { } resourceId)
        {
            return false;
        }

        if (_store.GetDefinition(objectId)?.GetResource(resourceId) is not { } resource)
        {
            return false;
        }

        type = resource.Type;
        return true;
    }
}

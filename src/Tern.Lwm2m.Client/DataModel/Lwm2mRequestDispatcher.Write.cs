using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Formats.LinkFormat;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.DataModel;

/// <summary>Write (replace and partial update) and Write-Attributes.</summary>
public sealed partial class Lwm2mRequestDispatcher
{
    private CoapResponse Write(CoapMessage request, Lwm2mPath path, StoreWriteMode mode)
    {
        if (path.Level < Lwm2mPathLevel.ObjectInstance)
        {
            return Error(CoapCode.MethodNotAllowed, "Write needs an instance, resource or resource-instance path (writing a whole object is Bootstrap-Write).");
        }

        if (SecurityGuard(path) is { } guarded)
        {
            return guarded;
        }

        if (DeclaredObject(path, out CoapResponse? missing) is not { } definition)
        {
            return missing!;
        }

        if (!_store.Exists(new Lwm2mPath(path.ObjectId!.Value, path.InstanceId)))
        {
            return Error(CoapCode.NotFound, $"Instance /{path.ObjectId}/{path.InstanceId} does not exist.");
        }

        if (path.ResourceId is { } rid)
        {
            if (definition.GetResource(rid) is not { } rd)
            {
                return Error(CoapCode.NotFound, $"Object {definition.Id} has no resource {rid}.");
            }

            if (!rd.Operations.HasFlag(Lwm2mOperations.Write))
            {
                return Error(CoapCode.MethodNotAllowed, $"{path} ({rd.Name}) is not writable.");
            }

            if (path.Level == Lwm2mPathLevel.ResourceInstance && !rd.Multiple)
            {
                return Error(CoapCode.NotFound, $"{path.Parent} is a single resource; it has no resource instances.");
            }
        }

        if (DecodeNode(request, path, out CoapResponse? refusal) is not { } node)
        {
            return refusal!;
        }

        (IReadOnlyList<Lwm2mResource> resources, StoreWriteMode applied) = node switch
        {
            Lwm2mObjectInstance i => ((IReadOnlyList<Lwm2mResource>)i.Resources, mode),
            Lwm2mResource r => ([r], mode == StoreWriteMode.ReplaceInstance ? StoreWriteMode.ReplaceResources : StoreWriteMode.Merge),
            Lwm2mResourceInstance ri => ([new Lwm2mMultipleResource(path.ResourceId!.Value, definition.GetResource(path.ResourceId.Value)!.Type, [ri])], StoreWriteMode.Merge),
            _ => ([], mode),
        };

        var instancePath = new Lwm2mPath(path.ObjectId.Value, path.InstanceId);
        if (CheckResources(definition, instancePath, resources, bootstrap: false) is { } invalid)
        {
            return invalid;
        }

        return _store.ApplyWrite(definition.Id, path.InstanceId!.Value, resources, applied, create: false)
            ? new CoapResponse(CoapCode.Changed)
            : Error(CoapCode.NotFound, $"{instancePath} does not exist.");
    }

    /// <summary>Checks resources bound for one instance against the definition and asks the object's handler; null when all may be stored.</summary>
    private CoapResponse? CheckResources(ObjectDefinition definition, Lwm2mPath instancePath, IReadOnlyList<Lwm2mResource> resources, bool bootstrap)
    {
        foreach (Lwm2mResource resource in resources)
        {
            Lwm2mPath at = instancePath.Append(resource.Id);
            if (definition.GetResource(resource.Id) is not { } rd)
            {
                return Error(CoapCode.NotFound, $"Object {definition.Id} has no resource {resource.Id}.");
            }

            if (!bootstrap && !rd.Operations.HasFlag(Lwm2mOperations.Write))
            {
                return Error(CoapCode.MethodNotAllowed, $"{at} ({rd.Name}) is not writable.");
            }

            if (Lwm2mObjectStore.CheckResource(definition, resource) is { } problem)
            {
                return Error(CoapCode.BadRequest, $"{at}: {problem}.");
            }
        }

        if (_store.GetHandler(definition.Id) is { } handler)
        {
            foreach (Lwm2mResource resource in resources)
            {
                if (handler.OnWrite(instancePath.Append(resource.Id), resource, bootstrap) is not Lwm2mStatus.Ok and var refused)
                {
                    return Answer(refused, CoapCode.Changed);
                }
            }
        }

        return null;
    }

    private CoapResponse WriteAttributes(CoapMessage request, Lwm2mPath path, int ssid)
    {
        if (path.IsRoot)
        {
            return Error(CoapCode.MethodNotAllowed, "Write-Attributes needs an object, instance or resource path.");
        }

        if (SecurityGuard(path) is { } guarded)
        {
            return guarded;
        }

        if (DeclaredObject(path, out CoapResponse? missing) is not { } definition)
        {
            return missing!;
        }

        ResourceDefinition? rd = path.ResourceId is { } rid ? definition.GetResource(rid) : null;
        bool exists = path.Level switch
        {
            Lwm2mPathLevel.Resource => rd is not null && _store.Exists(path.Parent),
            _ => _store.Exists(path),
        };
        if (!exists)
        {
            return Error(CoapCode.NotFound, $"{path} does not exist.");
        }

        Tern.Lwm2m.Formats.Lwm2mCodecResult<Lwm2mAttributes> parsed = Lwm2mAttributes.ParseQuery(request.UriQueries);
        if (!parsed.IsSuccess)
        {
            return Error(CoapCode.BadRequest, parsed.Error!.Message);
        }

        Lwm2mAttributes update = parsed.Value!;
        if (update.Dimension is not null || update.Version is not null || update.ShortServerId is not null || update.Uri is not null
            || update.Unset.Any(n => n is "dim" or "ver" or "ssid" or "uri"))
        {
            return Error(CoapCode.BadRequest, "dim, ver, ssid and uri cannot be written; they are Discover attributes.");
        }

        bool numeric = rd?.Type is Lwm2mResourceType.Integer or Lwm2mResourceType.UnsignedInteger or Lwm2mResourceType.Float;
        if ((update.GreaterThan is not null || update.LessThan is not null || update.Step is not null) && (path.Level < Lwm2mPathLevel.Resource || !numeric))
        {
            return Error(CoapCode.BadRequest, "gt, lt and st apply to numeric resources only.");
        }

        if (update.Edge is not null && (path.Level < Lwm2mPathLevel.Resource || rd?.Type != Lwm2mResourceType.Boolean))
        {
            return Error(CoapCode.BadRequest, "edge applies to Boolean resources only.");
        }

        _store.Attributes.Apply(ssid, path, update, out string? refusal);
        return refusal is null ? new CoapResponse(CoapCode.Changed) : Error(CoapCode.BadRequest, refusal);
    }
}
